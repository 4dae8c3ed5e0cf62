// Trains a multinomial logistic regression on the Palmer penguins (data/penguins.csv, exported from
// vega-datasets by prepare-data.mjs) and writes what the mlops train stage expects:
//   model/model.onnx, model/labels.json, metrics.json, predictions.csv (held-out rows),
//   and one `mlops-metric step=<n> ...` line per epoch on stdout.
// Hyperparameters: the JSON object in MLOPS_PARAMS (see params.yaml for names and defaults).
// Run: node train.mjs
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Defaults; keep in step with params.yaml. */
export const DEFAULT_PARAMS = { epochs: 300, learning_rate: 0.5, l2: 0.001, seed: 0, test_fraction: 0.25 };

const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
const COLUMNS = ['species', 'island', ...FEATURES, 'sex'];
const DATA_FILE = fileURLToPath(new URL('data/penguins.csv', import.meta.url));

class ParamsError extends Error {}

/** Returns the hyperparameters: MLOPS_PARAMS merged over the defaults. Throws ParamsError on unknown names or bad values. */
export function readParams(text) {
  if (text === undefined || text.trim() === '') return { ...DEFAULT_PARAMS };
  let given;
  try {
    given = JSON.parse(text);
  } catch (error) {
    throw new ParamsError(`MLOPS_PARAMS is not valid JSON (${error.message}); expected an object such as {"epochs": 300}`);
  }
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ParamsError(`MLOPS_PARAMS must be a JSON object, got ${JSON.stringify(given)}`);
  }
  const params = { ...DEFAULT_PARAMS };
  for (const [name, value] of Object.entries(given)) {
    if (!(name in DEFAULT_PARAMS)) {
      throw new ParamsError(`MLOPS_PARAMS has unknown parameter "${name}"; expected one of ${Object.keys(DEFAULT_PARAMS).join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ParamsError(`MLOPS_PARAMS.${name} is ${JSON.stringify(value)}; expected a number`);
    }
    params[name] = value;
  }
  const checks = [
    ['epochs', Number.isInteger(params.epochs) && params.epochs >= 1, 'an integer >= 1'],
    ['learning_rate', params.learning_rate > 0, 'a number > 0'],
    ['l2', params.l2 >= 0, 'a number >= 0'],
    ['seed', Number.isInteger(params.seed) && params.seed >= 0, 'an integer >= 0'],
    ['test_fraction', params.test_fraction > 0 && params.test_fraction < 1, 'a number between 0 and 1 (exclusive)'],
  ];
  for (const [name, ok, expected] of checks) {
    if (!ok) throw new ParamsError(`MLOPS_PARAMS.${name} is ${params[name]}; expected ${expected}`);
  }
  return params;
}

/** Returns the rows of data/penguins.csv that have all four measurements ({id, species, island, sex, x}). */
function loadPenguins(file) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  if (lines[0] !== COLUMNS.join(',')) {
    throw new Error(`${file}:1: header is "${lines[0]}"; expected "${COLUMNS.join(',')}"`);
  }
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== COLUMNS.length) {
      throw new Error(`${file}:${i + 1}: ${cells.length} cells; expected ${COLUMNS.length}`);
    }
    const record = Object.fromEntries(COLUMNS.map((name, c) => [name, cells[c]]));
    if (FEATURES.some((name) => record[name] === '')) continue;
    const x = FEATURES.map((name) => {
      const value = Number(record[name]);
      if (!Number.isFinite(value)) throw new Error(`${file}:${i + 1}: ${name} is "${record[name]}"; expected a number`);
      return value;
    });
    // id = position of the row in the CSV (0-based, header excluded), so predictions can be joined back.
    rows.push({ id: i - 1, species: record.species, island: record.island, sex: record.sex, x });
  }
  return rows;
}

/** Returns a seeded uniform [0, 1) generator (mulberry32): same seed, same sequence, on every platform. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Returns {train, test} index lists holding test_fraction of each class in test, both in row order. */
function stratifiedSplit(classes, classCount, testFraction, random) {
  const train = [];
  const test = [];
  for (let k = 0; k < classCount; k++) {
    const members = shuffle(
      classes.flatMap((c, i) => (c === k ? [i] : [])),
      random,
    );
    const testCount = Math.round(members.length * testFraction);
    test.push(...members.slice(0, testCount));
    train.push(...members.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Returns class probabilities for one row, computing the graph the ONNX model holds. */
function predictRow(model, x) {
  const z = x.map((value, f) => (value - model.mean[f]) / model.std[f]);
  const logits = model.b.map((bias, k) => z.reduce((sum, value, f) => sum + value * model.W[f][k], bias));
  const top = Math.max(...logits);
  const exps = logits.map((value) => Math.exp(value - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / total);
}

/** Returns {accuracy, log_loss} of the model on the given rows. */
function score(model, X, classes, indices) {
  let correct = 0;
  let loss = 0;
  for (const i of indices) {
    const p = predictRow(model, X[i]);
    if (argmax(p) === classes[i]) correct++;
    loss -= Math.log(Math.min(Math.max(p[classes[i]], 1e-15), 1 - 1e-15));
  }
  return { accuracy: correct / indices.length, log_loss: loss / indices.length };
}

function argmax(values) {
  return values.reduce((best, value, i) => (value > values[best] ? i : best), 0);
}

/** Returns {mean, std, W, b} after full-batch gradient descent, printing one learning-curve line per epoch. */
function fitLogisticRegression(X, classes, classCount, split, params, random, log) {
  const featureCount = X[0].length;
  // Standardisation constants are float32 from the start, so training sees exactly what the ONNX graph computes.
  const mean = [];
  const std = [];
  for (let f = 0; f < featureCount; f++) {
    const values = split.train.map((i) => X[i][f]);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - m) ** 2, 0) / values.length;
    mean.push(Math.fround(m));
    std.push(Math.fround(Math.sqrt(variance)));
  }
  const Z = split.train.map((i) => X[i].map((value, f) => (value - mean[f]) / std[f]));
  const y = split.train.map((i) => classes[i]);
  const W = Array.from({ length: featureCount }, () => Array.from({ length: classCount }, () => (random() - 0.5) * 0.02));
  const b = new Array(classCount).fill(0);
  const n = Z.length;
  for (let epoch = 1; epoch <= params.epochs; epoch++) {
    const gradW = Array.from({ length: featureCount }, () => new Array(classCount).fill(0));
    const gradB = new Array(classCount).fill(0);
    for (let r = 0; r < n; r++) {
      const p = predictRow({ mean: new Array(featureCount).fill(0), std: new Array(featureCount).fill(1), W, b }, Z[r]);
      for (let k = 0; k < classCount; k++) {
        const error = (p[k] - (y[r] === k ? 1 : 0)) / n;
        gradB[k] += error;
        for (let f = 0; f < featureCount; f++) gradW[f][k] += error * Z[r][f];
      }
    }
    for (let k = 0; k < classCount; k++) {
      b[k] -= params.learning_rate * gradB[k];
      for (let f = 0; f < featureCount; f++) W[f][k] -= params.learning_rate * (gradW[f][k] + params.l2 * W[f][k]);
    }
    const current = { mean, std, W, b };
    const trainScore = score(current, X, classes, split.train);
    const testScore = score(current, X, classes, split.test);
    log(
      `mlops-metric step=${epoch} loss=${trainScore.log_loss.toFixed(4)} accuracy=${trainScore.accuracy.toFixed(4)}` +
        ` val_loss=${testScore.log_loss.toFixed(4)} val_accuracy=${testScore.accuracy.toFixed(4)}`,
    );
  }
  // The ONNX file stores float32: round now so predictions.csv matches what the exported model computes.
  return { mean, std, W: W.map((row) => row.map(Math.fround)), b: b.map(Math.fround) };
}

function floatTensor(name, dims, values) {
  const data = new Float32Array(values);
  // raw_data is little-endian float32 by the ONNX spec; Float32Array is little-endian on every platform Node runs on.
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}

function floatValueInfo(name, dims) {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/** Returns the ONNX model bytes: input [N,4] -> Sub(mean) -> Div(std) -> MatMul(W) -> Add(b) -> Softmax -> probabilities [N,3]. */
export function encodeOnnxModel(model, labels) {
  const featureCount = model.mean.length;
  const classCount = labels.length;
  const graph = {
    name: 'penguins_logistic_regression',
    node: [
      { opType: 'Sub', input: ['input', 'mean'], output: ['centered'], name: 'subtract_mean' },
      { opType: 'Div', input: ['centered', 'std'], output: ['standardized'], name: 'divide_std' },
      { opType: 'MatMul', input: ['standardized', 'weights'], output: ['product'], name: 'matmul_weights' },
      { opType: 'Add', input: ['product', 'bias'], output: ['logits'], name: 'add_bias' },
      {
        opType: 'Softmax',
        input: ['logits'],
        output: ['probabilities'],
        name: 'softmax',
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      },
    ],
    initializer: [
      floatTensor('mean', [featureCount], model.mean),
      floatTensor('std', [featureCount], model.std),
      floatTensor('weights', [featureCount, classCount], model.W.flat()),
      floatTensor('bias', [classCount], model.b),
    ],
    input: [floatValueInfo('input', ['N', featureCount])],
    output: [floatValueInfo('probabilities', ['N', classCount])],
    docString: `Inputs, in order: ${FEATURES.join(', ')}. Outputs: probabilities of ${labels.join(', ')}.`,
  };
  const message = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'mlops-actions penguins-node example',
    producerVersion: '1.0.0',
    graph,
    metadataProps: [
      { key: 'labels', value: JSON.stringify(labels) },
      { key: 'features', value: JSON.stringify(FEATURES) },
    ],
  });
  return onnx.ModelProto.encode(message).finish();
}

function writeAtomically(file, content) {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

function csvCell(text) {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Trains, then writes model/, metrics.json and predictions.csv under outDir. Returns the metrics. */
export function train(params, outDir, log = console.log) {
  const rows = loadPenguins(DATA_FILE);
  const labels = [...new Set(rows.map((row) => row.species))].sort();
  const classes = rows.map((row) => labels.indexOf(row.species));
  const X = rows.map((row) => row.x);
  const random = seededRandom(params.seed);
  const split = stratifiedSplit(classes, labels.length, params.test_fraction, random);
  log(
    `penguins: ${rows.length} rows with all measurements, ${split.train.length} train, ${split.test.length} validation; params ${JSON.stringify(params)}`,
  );

  const model = fitLogisticRegression(X, classes, labels.length, split, params, random, log);
  const metrics = { train: score(model, X, classes, split.train), validation: score(model, X, classes, split.test) };

  const modelDir = join(outDir, 'model');
  mkdirSync(modelDir, { recursive: true });
  writeAtomically(join(modelDir, 'model.onnx'), encodeOnnxModel(model, labels));
  writeAtomically(join(modelDir, 'labels.json'), JSON.stringify(labels) + '\n');
  writeAtomically(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');

  const header = ['id', 'label', 'prediction', ...labels.map((label) => `score_${label}`), 'island', 'sex'];
  const lines = [header.map(csvCell).join(',')];
  for (const i of split.test) {
    const p = predictRow(model, X[i]);
    const cells = [
      String(rows[i].id),
      labels[classes[i]],
      labels[argmax(p)],
      ...p.map((value) => value.toFixed(8)),
      rows[i].island,
      rows[i].sex,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  writeAtomically(join(outDir, 'predictions.csv'), lines.join('\n') + '\n');
  log(`validation accuracy ${metrics.validation.accuracy.toFixed(4)}, log loss ${metrics.validation.log_loss.toFixed(4)}`);
  return metrics;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    train(readParams(process.env.MLOPS_PARAMS), process.cwd());
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exitCode = error instanceof ParamsError ? 2 : 1;
  }
}
