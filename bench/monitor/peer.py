"""The pandas side of the monitor benchmark: PSI of every input column of a request log against the
reference table, as a pandas user computes it.

  /usr/bin/python3 bench/monitor/peer.py LOG.jsonl REFERENCE.csv

pandas.read_json(lines=True) reads the log (one request per line, the model's input tensor "input" as
nested arrays [rows][64]); the rows of every request become one DataFrame with the reference's column
names. PSI as shared/data/sketch/drift.ts defines it: 10 bins cut at the reference's deciles (numpy's
inverted_cdf, the smallest value whose cumulative share reaches i/10; repeated edges dropped), the share
of values <= each edge on each side, shares below 1e-4 raised to 1e-4, PSI = sum((a - e) * ln(a / e)).
Prints one JSON line: entries, rows and the PSI per column.
"""
import json
import sys

import numpy as np
import pandas as pd

BINS = 10
EPSILON = 1e-4


def psi(reference, current):
    reference = np.sort(reference)
    current = np.sort(current)
    edges = np.unique(np.quantile(reference, np.arange(1, BINS) / BINS, method="inverted_cdf"))
    expected_cdf = np.append(np.searchsorted(reference, edges, side="right") / len(reference), 1.0)
    actual_cdf = np.append(np.searchsorted(current, edges, side="right") / len(current), 1.0)
    expected = np.maximum(np.diff(expected_cdf, prepend=0.0), EPSILON)
    actual = np.maximum(np.diff(actual_cdf, prepend=0.0), EPSILON)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def main(log_path, reference_path):
    reference = pd.read_csv(reference_path)
    features = [c for c in reference.columns if c.startswith("input_")]
    log = pd.read_json(log_path, lines=True)
    live = pd.DataFrame([row for inputs in log["inputs"] for row in inputs["input"]], columns=features)
    result = {c: psi(reference[c].to_numpy(), live[c].to_numpy()) for c in features}
    print(json.dumps({"entries": int(len(log)), "rows": int(len(live)), "psi": result}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
