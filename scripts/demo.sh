#!/usr/bin/env bash
# The main job, locally: the whole loop of workflows-examples/penguins-node/mlops.yml through `mlops run`,
# on embedded defaults (an OCI layout folder as the registry, the process deploy target on 127.0.0.1),
# state in .mlops/. It ends by printing where the run's report is, and stops what it served.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mlops() { node "$root/dist/mlops.js" "$@"; }
cd "$root/workflows-examples/penguins-node"
state="$root/.mlops"
run_id="${MLOPS_RUN_ID:-demo-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
# The demo leaves nothing running: the served model and its proxy stop when it ends, whatever happens.
out="$(mktemp)"
trap 'mlops deploy stop --state-dir "$state" > /dev/null 2>&1 || true; rm -f "$out"' EXIT

echo "== the loop of a push: validate-data, train, evaluate, register, deploy, promote (run $run_id)"
mlops run --event push --state-dir "$state" --run-id "$run_id" | tee "$out"
report="$(sed -n 's/^  report: //p' "$out")"

echo "== what serves"
mlops deploy status --state-dir "$state"

echo
echo "The report of the run: $report"
