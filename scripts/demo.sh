#!/usr/bin/env bash
# The main job, locally: every stage that exists so far, on the penguins example, state in .mlops/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mlops() { node "$root/bin/mlops/index.js" "$@"; }
cd "$root/workflows-examples/penguins-node"
state="$root/.mlops"

echo "== validate-data"
mlops validate-data --state-dir "$state" --data data/penguins.csv --schema schema.yaml
