"""Reference values from scikit-learn for the TypeScript metrics (sklearn-agreement.test.ts).

Trains real models on scikit-learn's bundled data sets, then writes to the JSON file named on the
command line: for each case the rows (labels, predictions, scores or probabilities, optional weights)
and every metric as scikit-learn computes it. Weighted cases use bootstrap multiplicities as
sample_weight, the way the TypeScript bootstrap weights rows.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn import metrics as m
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier


def multiplicities(n, seed):
    rng = np.random.default_rng(seed)
    return np.bincount(rng.integers(0, n, n), minlength=n).astype(float)


def classification_expected(y, pred, classes, pos=None, scores=None, proba=None, w=None):
    labels = sorted(set(y) | set(pred))
    out = {
        "accuracy": m.accuracy_score(y, pred, sample_weight=w),
        "balanced_accuracy": m.balanced_accuracy_score(y, pred, sample_weight=w),
    }
    for avg in ("macro", "weighted"):
        p, r, f, _ = m.precision_recall_fscore_support(y, pred, average=avg, zero_division=0, sample_weight=w)
        out[f"precision_{avg}"], out[f"recall_{avg}"], out[f"f1_{avg}"] = p, r, f
    p, r, f, _ = m.precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0, sample_weight=w)
    for i, c in enumerate(labels):
        out[f"precision[class={c}]"], out[f"recall[class={c}]"], out[f"f1[class={c}]"] = p[i], r[i], f[i]
    if pos is not None:
        out["precision"] = m.precision_score(y, pred, pos_label=pos, zero_division=0, sample_weight=w)
        out["recall"] = m.recall_score(y, pred, pos_label=pos, zero_division=0, sample_weight=w)
        out["f1"] = m.f1_score(y, pred, pos_label=pos, zero_division=0, sample_weight=w)
    if scores is not None:
        out["roc_auc"] = m.roc_auc_score(y, scores, sample_weight=w)
        out["average_precision"] = m.average_precision_score(y, scores, pos_label=pos, sample_weight=w)
        out["log_loss"] = m.log_loss(y, scores, sample_weight=w)
        out["brier_score"] = m.brier_score_loss(y, scores, pos_label=pos, sample_weight=w)
    if proba is not None:
        out["roc_auc"] = m.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=classes, sample_weight=w)
        out["log_loss"] = m.log_loss(y, proba, labels=classes, sample_weight=w)
    confusion = m.confusion_matrix(y, pred, labels=labels, sample_weight=w)
    return {k: float(v) for k, v in out.items()}, {"classes": labels, "counts": confusion.astype(float).tolist()}


def classification_case(name, y, pred, classes, pos=None, scores=None, proba=None, weighted=False):
    w = multiplicities(len(y), 7) if weighted else None
    expected, confusion = classification_expected(y, pred, classes, pos, scores, proba, w)
    case = {"name": name, "kind": "classification", "labels": list(y), "predictions": list(pred), "expected": expected, "confusion": confusion}
    if pos is not None:
        case["positiveClass"] = pos
    if scores is not None:
        case["scores"] = [float(s) for s in scores]
    if proba is not None:
        case["probabilities"] = proba.tolist()
        case["probabilityClasses"] = list(classes)
    if w is not None:
        case["weights"] = w.tolist()
    return case


def regression_case(name, y, pred, weighted=False):
    w = multiplicities(len(y), 11) if weighted else None
    expected = {
        "mae": m.mean_absolute_error(y, pred, sample_weight=w),
        "rmse": m.mean_squared_error(y, pred, sample_weight=w, squared=False),
        "r2": m.r2_score(y, pred, sample_weight=w),
        "mape": m.mean_absolute_percentage_error(y, pred, sample_weight=w),
        "median_absolute_error": m.median_absolute_error(y, pred, sample_weight=w),
    }
    case = {"name": name, "kind": "regression", "labels": y.tolist(), "predictions": pred.tolist(), "expected": {k: float(v) for k, v in expected.items()}}
    if w is not None:
        case["weights"] = w.tolist()
    return case


def main(path):
    cases = []

    # Binary with text labels: positive class "malignant", the greater label (sklearn's own choice).
    data = load_breast_cancer()
    y = data.target_names[data.target].astype(str)
    X_train, X_test, y_train, y_test = train_test_split(data.data, y, test_size=0.5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, C=0.05)).fit(X_train, y_train)
    pred = model.predict(X_test)
    scores = model.predict_proba(X_test)[:, list(model.classes_).index("malignant")]
    for weighted in (False, True):
        cases.append(classification_case(f"breast_cancer{' weighted' if weighted else ''}", y_test.tolist(), pred.tolist(), None, "malignant", scores=scores, weighted=weighted))
    # Rounded scores tie heavily: checks that thresholds group ties as sklearn does.
    rounded = np.round(scores, 1)
    cases.append(classification_case("breast_cancer rounded scores weighted", y_test.tolist(), pred.tolist(), None, "malignant", scores=rounded, weighted=True))

    # Multiclass with probabilities, digits labels "0".."9".
    data = load_digits()
    y = data.target.astype(str)
    X_train, X_test, y_train, y_test = train_test_split(data.data, y, test_size=0.5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, C=0.01)).fit(X_train, y_train)
    for weighted in (False, True):
        cases.append(classification_case(f"digits{' weighted' if weighted else ''}", y_test.tolist(), model.predict(X_test).tolist(), list(model.classes_), proba=model.predict_proba(X_test), weighted=weighted))

    # A depth-2 tree predicts at most 4 of the 10 digits (zero_division for the rest) and its leaf
    # probabilities tie across many rows (one-vs-rest AUC over tied thresholds).
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X_train, y_train)
    cases.append(classification_case("digits depth-2 tree weighted", y_test.tolist(), tree.predict(X_test).tolist(), list(tree.classes_), proba=tree.predict_proba(X_test), weighted=True))

    # A weak iris model (one feature): many errors, classes predicted rarely or never (zero_division).
    data = load_iris()
    y = data.target_names[data.target].astype(str)
    X_train, X_test, y_train, y_test = train_test_split(data.data[:, [1]], y, test_size=0.5, random_state=0)
    model = LogisticRegression(max_iter=5000).fit(X_train, y_train)
    for weighted in (False, True):
        cases.append(classification_case(f"iris sepal width{' weighted' if weighted else ''}", y_test.tolist(), model.predict(X_test).tolist(), list(model.classes_), proba=model.predict_proba(X_test), weighted=weighted))

    # Regression on the diabetes progression target.
    data = load_diabetes()
    X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.5, random_state=0)
    pred = LinearRegression().fit(X_train, y_train).predict(X_test)
    for weighted in (False, True):
        cases.append(regression_case(f"diabetes{' weighted' if weighted else ''}", y_test, pred, weighted=weighted))

    with open(path, "w") as out:
        json.dump({"sklearn": sklearn.__version__, "cases": cases}, out)


if __name__ == "__main__":
    main(sys.argv[1])
