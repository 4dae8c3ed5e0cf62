#!/usr/bin/env bash
# The main job, locally: the whole loop of workflows-examples/penguins-node/mlops.yml through `mlops run`,
# on embedded defaults (an OCI layout folder as the registry, the process deploy target on 127.0.0.1),
# state in .mlops/. Round 1 is the loop of a push on the committed data. Round 2 is the loop of a schedule
# on a new batch of the same real data set that drifted (the penguins of one island only): it detects the
# drift against the production model's profile, retrains, evaluates against production, deploys the new
# version as a canary beside it, and monitor-gate's analysis of the live canary promotes it or rolls it
# back. It ends by printing where each round's report is, and stops what it served.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mlops() { node "$root/dist/mlops.js" "$@"; }
example="$root/workflows-examples/penguins-node"
state="$root/.mlops"
run_id="${MLOPS_RUN_ID:-demo-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
out="$(mktemp)"
# The demo leaves nothing running: the served model and its proxy stop when it ends, whatever happens.
trap 'mlops deploy stop --state-dir "$state" > /dev/null 2>&1 || true; rm -f "$out"' EXIT

echo "== round 1: the loop of a push (run $run_id)"
cd "$example"
mlops run --event push --state-dir "$state" --run-id "$run_id" | tee "$out"
report1="$(sed -n 's/^  report: \(.*loop\.md\)$/\1/p' "$out")"
mlops deploy status --state-dir "$state"

echo
echo "== round 2: the loop of a schedule, on a new batch of the same data that drifted (run $run_id-2)"
# A working copy of the project under the state folder (node_modules still resolves from the repository),
# whose data is the later batch: the same survey's penguins of Biscoe only.
batch="$state/demo-round-2/penguins-node"
rm -rf "$batch"
mkdir -p "$batch"
cp -R baseline data mlops.yml package.json params.yaml prepare-data.mjs schema.yaml train.mjs "$batch/"
# monitor-gate's load test is this batch's penguins too: the live traffic the new version will see.
node prepare-data.mjs --island Biscoe --out "$batch/data/penguins.csv" --requests "$batch/load-test.jsonl"
status=0
mlops run --event schedule --config "$batch/mlops.yml" --state-dir "$state" --run-id "$run_id-2" | tee "$out" || status=$?
report2="$(sed -n 's/^  report: \(.*loop\.md\)$/\1/p' "$out")"
mlops deploy status --state-dir "$state"

echo
echo "Round 1 (push, the committed data): $report1"
echo "Round 2 (schedule, a drifted batch): $report2$([ "$status" = 0 ] || echo ' (the loop refused the new version)')"
