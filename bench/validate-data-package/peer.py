"""The pandas side of the foreign key benchmarks: what a pandas user writes to check a foreign key.

  /usr/bin/python3 bench/validate-data-package/peer.py PACKAGE_DIR

read_csv of both tables, then the orders whose customer_id is not among the customers' ids (isin), and
describe() of each table. Prints one JSON line: rows per table and the count of broken keys.
"""
import json
import os
import sys

import pandas as pd


def main(folder):
    orders = pd.read_csv(os.path.join(folder, "orders.csv"))
    customers = pd.read_csv(os.path.join(folder, "customers.csv"))
    broken = int((~orders["customer_id"].isin(customers["id"])).sum())
    orders.describe(include="all")
    customers.describe(include="all")
    print(json.dumps({"orders": int(len(orders)), "customers": int(len(customers)), "broken": broken}))


if __name__ == "__main__":
    main(sys.argv[1])
