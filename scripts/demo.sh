#!/usr/bin/env bash
# The main job, locally: every stage that exists so far, on the penguins example, state in .mlops/.
# One run of the loop has one id: every stage writes under .mlops/runs/$MLOPS_RUN_ID/<stage>/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mlops() { node "$root/dist/mlops.js" "$@"; }
cd "$root/workflows-examples/penguins-node"
state="$root/.mlops"
export MLOPS_RUN_ID="${MLOPS_RUN_ID:-demo-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
echo "run $MLOPS_RUN_ID: $state/runs/$MLOPS_RUN_ID/"

echo "== validate-data"
# --output lines: name=value on stdout for this script (the summary still shows, on stderr).
fingerprint="$(mlops validate-data --state-dir "$state" --data data/penguins.csv --schema schema.yaml --output lines |
  sed -n 's/^fingerprint=//p')"

echo "== train"
# Skipped (outputs restored from .mlops/cache) when data, code and params are unchanged since the last demo.
mlops train --state-dir "$state" --command 'node train.mjs' --params params.yaml --model-path model \
  --metrics-file metrics.json --data-fingerprint "$fingerprint" --artifact-name penguins-model

echo "== evaluate"
# Against the committed predictions of an earlier, weaker model (baseline/README.md), paired by id.
mlops evaluate --state-dir "$state" --predictions predictions.csv --baseline baseline/predictions.csv \
  --id-column id --slices island \
  --gates 'accuracy >= 0.9' --gates 'f1_macro >= baseline - 0.005' --gates 'recall[class=Gentoo] >= 0.8' \
  --gates 'accuracy[island=Dream] >= 0.85'
