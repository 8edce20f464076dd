#!/usr/bin/env bash
# Compares the model with Go 1.19 on a batch of generated programs:
#   difftest/run-go.sh [--seed S] [--count N] [--go PATH] [--keep DIR]
# Go defaults to /usr/lib/go-1.19/bin/go (or $GO); install it with
#   apt-get update && apt-get install -y golang-1.19-go
# Exits 0 when every program printed the model's trace, 1 on a disagreement,
# 2 when Go is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run -q -p godefer-difftest --bin difftest -- go "$@"
