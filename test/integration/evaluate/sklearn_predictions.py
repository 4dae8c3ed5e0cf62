"""scikit-learn's metrics of an example project's predictions.csv (sklearn-predictions.test.ts).

  sklearn_predictions.py PREDICTIONS.csv OUT.json [SLICE_COLUMN]

Reads the file with pandas (labels as text), computes every classification metric with scikit-learn
(through the reference helper of test/integration/metrics), and the metrics of each value of
SLICE_COLUMN on that value's rows, named as the evaluate stage names them: accuracy[island=Dream].
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn import metrics as m

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "metrics"))
from sklearn_reference import classification_expected  # noqa: E402


def main(path, out, slice_column=None):
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    score_columns = [c for c in table.columns if c.startswith("score_")]
    classes = [c[len("score_"):] for c in score_columns]
    proba = table[score_columns].astype(float).to_numpy()
    y = table["label"].tolist()
    pred = table["prediction"].tolist()
    expected, confusion = classification_expected(y, pred, classes, proba=proba)
    if slice_column is not None:
        for value in sorted(set(table[slice_column])):
            rows = (table[slice_column] == value).to_numpy()
            ys = list(np.array(y)[rows])
            ps = list(np.array(pred)[rows])
            ss = proba[rows]
            name = lambda metric: f"{metric}[{slice_column}={value}]"  # noqa: E731
            expected[name("accuracy")] = m.accuracy_score(ys, ps)
            expected[name("balanced_accuracy")] = m.balanced_accuracy_score(ys, ps)
            for avg in ("macro", "weighted"):
                p, r, f, _ = m.precision_recall_fscore_support(ys, ps, average=avg, zero_division=0)
                expected[name(f"precision_{avg}")], expected[name(f"recall_{avg}")], expected[name(f"f1_{avg}")] = p, r, f
            expected[name("log_loss")] = m.log_loss(ys, ss, labels=classes)
            if set(ys) == set(classes):
                expected[name("roc_auc")] = m.roc_auc_score(ys, ss, multi_class="ovr", average="macro", labels=classes)
    with open(out, "w") as f:
        json.dump({"expected": {k: float(v) for k, v in expected.items()}, "confusion": confusion}, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
