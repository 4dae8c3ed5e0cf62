"""Writes the reference table of the monitor benchmark: scikit-learn's bundled digits data (1,797 rows, 8x8
images) scaled to [0, 1] as the digits model takes them (pixel / 16, as test/fixtures/digits-mlp-onnx was
trained), one column per pixel named as the serving runtime names the model's features (input_0 ... input_63),
and the label.

  /usr/bin/python3 bench/monitor/reference.py OUT.csv
"""
import sys

from sklearn.datasets import load_digits


def main(path):
    digits = load_digits()
    with open(path + ".tmp", "w") as out:
        out.write(",".join([f"input_{i}" for i in range(64)] + ["label"]) + "\n")
        for row, label in zip(digits.data / 16.0, digits.target):
            out.write(",".join(repr(float(v)) for v in row) + f",{int(label)}\n")
    import os

    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
