#!/usr/bin/env bash
# One extra batch with a fresh seed, for CI: the Rust programs under every
# lowering against the model, then (when Go 1.19 is installed) the same
# programs in Go against the model. Prints the seed first, so that a failure
# can be replayed with DIFFTEST_SEED=<seed>.
#   difftest/fresh-seed.sh [COUNT]        (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
seed="${DIFFTEST_SEED:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}"
count="${1:-${DIFFTEST_COUNT:-200}}"
echo "difftest: fresh seed ${seed}, ${count} programs (replay: DIFFTEST_SEED=${seed} DIFFTEST_COUNT=${count} cargo test -p godefer-difftest --test difftest)"
DIFFTEST_SEED="$seed" DIFFTEST_COUNT="$count" cargo test -q -p godefer-difftest --test difftest
go="${GO:-/usr/lib/go-1.19/bin/go}"
if [ -x "$go" ]; then
    cargo run -q -p godefer-difftest --bin difftest -- go --seed "$seed" --count "$count" --go "$go"
else
    echo "difftest: Go 1.19 not installed ($go), model-vs-Go comparison skipped"
fi
