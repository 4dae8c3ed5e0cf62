"""Trains a small MLP on scikit-learn's bundled digits data (8x8 images, 1,797 rows) with PyTorch.

Writes what the mlops train stage expects:
  model/model.onnx, model/labels.json, metrics.json, predictions.csv (held-out rows),
  and one `mlops-metric step=<n> ...` line per epoch on stdout.
Hyperparameters: the JSON object in MLOPS_PARAMS (see params.yaml for names and defaults).
Run: /usr/bin/python3 train.py   (on Debian: apt-get install python3-torch python3-sklearn)
"""
import csv
import io
import json
import os
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

# Defaults; keep in step with params.yaml.
DEFAULT_PARAMS = {
    "epochs": 30,
    "learning_rate": 0.01,
    "hidden": 64,
    "batch_size": 64,
    "weight_decay": 0.0001,
    "seed": 0,
    "test_fraction": 0.25,
}
INTEGER_PARAMS = {"epochs", "hidden", "batch_size", "seed"}
LABELS = [str(digit) for digit in range(10)]


class ParamsError(Exception):
    pass


def read_params(text):
    """Returns MLOPS_PARAMS merged over the defaults; raises ParamsError on unknown names or bad values."""
    params = dict(DEFAULT_PARAMS)
    if text is None or text.strip() == "":
        return params
    try:
        given = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParamsError(f'MLOPS_PARAMS is not valid JSON ({error}); expected an object such as {{"epochs": 30}}')
    if not isinstance(given, dict):
        raise ParamsError(f"MLOPS_PARAMS must be a JSON object, got {json.dumps(given)}")
    for name, value in given.items():
        if name not in DEFAULT_PARAMS:
            raise ParamsError(f'MLOPS_PARAMS has unknown parameter "{name}"; expected one of {", ".join(DEFAULT_PARAMS)}')
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamsError(f"MLOPS_PARAMS.{name} is {json.dumps(value)}; expected a number")
        if name in INTEGER_PARAMS:
            if value != int(value):
                raise ParamsError(f"MLOPS_PARAMS.{name} is {value}; expected an integer")
            value = int(value)
        params[name] = value
    checks = [
        ("epochs", params["epochs"] >= 1, "an integer >= 1"),
        ("learning_rate", params["learning_rate"] > 0, "a number > 0"),
        ("hidden", params["hidden"] >= 1, "an integer >= 1"),
        ("batch_size", params["batch_size"] >= 1, "an integer >= 1"),
        ("weight_decay", params["weight_decay"] >= 0, "a number >= 0"),
        ("seed", params["seed"] >= 0, "an integer >= 0"),
        ("test_fraction", 0 < params["test_fraction"] < 1, "a number between 0 and 1 (exclusive)"),
    ]
    for name, ok, expected in checks:
        if not ok:
            raise ParamsError(f"MLOPS_PARAMS.{name} is {params[name]}; expected {expected}")
    return params


def write_atomically(path, data):
    with open(path + ".tmp", "wb") as file:
        file.write(data)
    os.replace(path + ".tmp", path)


def evaluate(model, x, y):
    """Returns (probabilities as numpy, {accuracy, log_loss})."""
    with torch.no_grad():
        probabilities = torch.softmax(model(x), dim=1).numpy()
    truth = y.numpy()
    return probabilities, {
        "accuracy": float(accuracy_score(truth, probabilities.argmax(axis=1))),
        "log_loss": float(log_loss(truth, probabilities, labels=list(range(10)))),
    }


def train(params, out_dir):
    """Trains, then writes model/, metrics.json and predictions.csv under out_dir. Returns the metrics."""
    # One thread and deterministic kernels: the same params give byte-identical weights on any machine size.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(params["seed"])

    digits = load_digits()
    # Pixel intensities are 0..16; the model takes them scaled to 0..1.
    features = (digits.data / 16.0).astype(np.float32)
    ids = np.arange(len(features))
    train_ids, test_ids = train_test_split(
        ids, test_size=params["test_fraction"], stratify=digits.target, random_state=params["seed"]
    )
    train_ids.sort()
    test_ids.sort()
    x_train, y_train = torch.from_numpy(features[train_ids]), torch.from_numpy(digits.target[train_ids])
    x_test, y_test = torch.from_numpy(features[test_ids]), torch.from_numpy(digits.target[test_ids])
    print(
        f"digits: {len(ids)} rows, {len(train_ids)} train, {len(test_ids)} validation; params {json.dumps(params)}",
        flush=True,
    )

    model = torch.nn.Sequential(
        torch.nn.Linear(64, params["hidden"]),
        torch.nn.ReLU(),
        torch.nn.Linear(params["hidden"], 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=params["learning_rate"], weight_decay=params["weight_decay"])
    loss_function = torch.nn.CrossEntropyLoss()
    shuffler = torch.Generator().manual_seed(params["seed"])
    for epoch in range(1, params["epochs"] + 1):
        model.train()
        order = torch.randperm(len(x_train), generator=shuffler)
        for start in range(0, len(order), params["batch_size"]):
            batch = order[start : start + params["batch_size"]]
            optimizer.zero_grad()
            loss_function(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
        model.eval()
        _, train_scores = evaluate(model, x_train, y_train)
        _, test_scores = evaluate(model, x_test, y_test)
        print(
            f"mlops-metric step={epoch} loss={train_scores['log_loss']:.4f} accuracy={train_scores['accuracy']:.4f}"
            f" val_loss={test_scores['log_loss']:.4f} val_accuracy={test_scores['accuracy']:.4f}",
            flush=True,
        )

    model.eval()
    _, train_scores = evaluate(model, x_train, y_train)
    test_probabilities, test_scores = evaluate(model, x_test, y_test)
    metrics = {"train": train_scores, "validation": test_scores}

    model_dir = os.path.join(out_dir, "model")
    os.makedirs(model_dir, exist_ok=True)
    # Export to the final path, not a buffer: PyTorch 2.x writes the weights to model.onnx.data beside it
    # and records that name inside the graph.
    torch.onnx.export(
        model,
        x_test[:1],
        os.path.join(model_dir, "model.onnx"),
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=13,
    )
    write_atomically(os.path.join(model_dir, "labels.json"), (json.dumps(LABELS) + "\n").encode())
    write_atomically(os.path.join(out_dir, "metrics.json"), (json.dumps(metrics, indent=2) + "\n").encode())

    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["id", "label", "prediction", *[f"score_{label}" for label in LABELS]])
    for row_id, label, probabilities in zip(test_ids, digits.target[test_ids], test_probabilities):
        writer.writerow([int(row_id), int(label), int(probabilities.argmax()), *[f"{p:.8f}" for p in probabilities]])
    write_atomically(os.path.join(out_dir, "predictions.csv"), table.getvalue().encode())
    print(f"validation accuracy {test_scores['accuracy']:.4f}, log loss {test_scores['log_loss']:.4f}", flush=True)
    return metrics


def main():
    try:
        params = read_params(os.environ.get("MLOPS_PARAMS"))
    except ParamsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    train(params, os.getcwd())
    return 0


if __name__ == "__main__":
    sys.exit(main())
