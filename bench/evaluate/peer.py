"""The scikit-learn side of bench/evaluate/run.ts.

  peer.py make-data OUT.json          100,000 binary predictions with scores: a logistic regression on
                                      breast_cancer (out-of-fold scores of all 569 rows), resampled with a
                                      fixed seed to 100,000 rows.
  peer.py bootstrap DATA.json COUNTS.u8 SAMPLES REPETITIONS
                                      the same bootstrap with numpy indexing + sklearn metric calls, over the
                                      resamples in COUNTS.u8 (SAMPLES rows of uint8 multiplicities, one per
                                      data row, written by run.ts from our seeded generator); prints JSON.
"""
import json
import resource
import sys
import time

import numpy as np


def make_data(out):
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    data = load_breast_cancer()
    malignant = (data.target == 0).astype(int)  # sklearn codes malignant as 0; make it the positive class
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, C=0.05))
    proba = cross_val_predict(model, data.data, malignant, cv=5, method="predict_proba")[:, 1]
    rows = np.random.default_rng(20261101).integers(0, len(malignant), 100_000)
    names = np.array(["benign", "malignant"])
    with open(out, "w") as f:
        json.dump(
            {
                "source": "sklearn breast_cancer, 5-fold out-of-fold LogisticRegression(C=0.05) probabilities, rows resampled with seed 20261101",
                "labels": names[malignant[rows]].tolist(),
                "predictions": names[(proba[rows] >= 0.5).astype(int)].tolist(),
                "scores": proba[rows].tolist(),
            },
            f,
        )


def metrics(y, p, s):
    from sklearn import metrics as m

    # An efficient sklearn user: one precision_recall_fscore_support call, averages derived with numpy.
    P, R, F, S = m.precision_recall_fscore_support(y, p, labels=[0, 1], zero_division=0)
    out = {
        "accuracy": m.accuracy_score(y, p),
        "balanced_accuracy": m.balanced_accuracy_score(y, p),
        "precision": P[1], "recall": R[1], "f1": F[1],
        "precision_macro": P.mean(), "recall_macro": R.mean(), "f1_macro": F.mean(),
        "precision_weighted": np.average(P, weights=S), "recall_weighted": np.average(R, weights=S), "f1_weighted": np.average(F, weights=S),
        "roc_auc": m.roc_auc_score(y, s),
        "average_precision": m.average_precision_score(y, s),
        "log_loss": m.log_loss(y, s),
        "brier_score": m.brier_score_loss(y, s),
    }
    for c, name in enumerate(["benign", "malignant"]):
        out[f"precision[class={name}]"], out[f"recall[class={name}]"], out[f"f1[class={name}]"] = P[c], R[c], F[c]
    return out


def bootstrap(data_path, counts_path, samples, repetitions):
    with open(data_path) as f:
        data = json.load(f)
    y = (np.array(data["labels"]) == "malignant").astype(int)
    p = (np.array(data["predictions"]) == "malignant").astype(int)
    s = np.array(data["scores"], dtype=float)
    n = len(y)
    rows = np.arange(n)
    point = {k: float(v) for k, v in metrics(y, p, s).items()}
    runs = []
    for _ in range(repetitions):
        start = time.perf_counter()
        draws = {name: np.empty(samples) for name in point}
        with open(counts_path, "rb") as f:
            for b in range(samples):
                counts = np.frombuffer(f.read(n), dtype=np.uint8)
                idx = np.repeat(rows, counts)  # the resample's row indices
                values = metrics(y[idx], p[idx], s[idx])
                for name, value in values.items():
                    draws[name][b] = value
        intervals = {name: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for name, v in draws.items()}
        runs.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"runs": runs, "point": point, "intervals": intervals, "peakMemoryMB": peak}))


if __name__ == "__main__":
    if sys.argv[1] == "make-data":
        make_data(sys.argv[2])
    else:
        bootstrap(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
