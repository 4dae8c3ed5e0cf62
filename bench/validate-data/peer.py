"""The pandas side of the validate-data benchmark: the profile a pandas user computes.

  /usr/bin/python3 bench/validate-data/peer.py DATA.csv

read_csv with pandas' defaults (the timestamp stays a string column), then describe(include='all') with
the 5/25/50/75/95 % percentiles, isna().sum() and nunique(). Prints one JSON line: rows, columns,
nulls per column and distinct counts, so the harness can check that the whole file was read.
"""
import json
import sys

import pandas as pd


def main(path):
    df = pd.read_csv(path)
    described = df.describe(include="all", percentiles=[0.05, 0.25, 0.5, 0.75, 0.95])
    nulls = df.isna().sum()
    distinct = df.nunique()
    print(json.dumps({
        "rows": int(len(df)),
        "columns": list(df.columns),
        "described": int(described.shape[1]),
        "nulls": {k: int(v) for k, v in nulls.items()},
        "distinct": {k: int(v) for k, v in distinct.items()},
    }))


if __name__ == "__main__":
    main(sys.argv[1])
