// Our metrics against scikit-learn on real models and data (breast cancer, digits, iris, diabetes),
// unweighted and with bootstrap multiplicities as sample_weight: every value must agree to 1e-9.
import { describe, it, expect, beforeAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classificationMetrics, confusionMatrix } from '../../../shared/metrics/classification.js';
import { regressionMetrics } from '../../../shared/metrics/regression.js';

const PYTHON = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));

interface ReferenceCase {
  name: string;
  kind: 'classification' | 'regression';
  labels: (string | number)[];
  predictions: (string | number)[];
  scores?: number[];
  probabilities?: number[][];
  probabilityClasses?: string[];
  positiveClass?: string;
  weights?: number[];
  expected: Record<string, number>;
  confusion?: { classes: string[]; counts: number[][] };
}

let reference: { sklearn: string; cases: ReferenceCase[] };

beforeAll(() => {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn, numpy'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `${PYTHON} cannot import scikit-learn and numpy, which this test compares against (apt-get install python3-sklearn): ${String(error)}`,
      { cause: error },
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'sklearn-reference-'));
  try {
    const out = join(dir, 'reference.json');
    execFileSync(PYTHON, [join(here, 'sklearn_reference.py'), out], { stdio: 'pipe', timeout: 240_000 });
    reference = JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function ours(c: ReferenceCase): Record<string, number> {
  const weights = c.weights === undefined ? undefined : Float64Array.from(c.weights);
  if (c.kind === 'regression') {
    return regressionMetrics({ labels: c.labels as number[], predictions: c.predictions as number[] }, { weights });
  }
  return classificationMetrics(
    {
      labels: c.labels as string[],
      predictions: c.predictions as string[],
      scores: c.scores,
      probabilities: c.probabilities,
      probabilityClasses: c.probabilityClasses,
    },
    { positiveClass: c.positiveClass, weights },
  );
}

describe('metrics agree with scikit-learn', () => {
  it('covers binary, multiclass and regression, weighted and not', () => {
    const names = reference.cases.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'breast_cancer',
        'breast_cancer weighted',
        'digits weighted',
        'digits depth-2 tree weighted',
        'iris sepal width',
        'diabetes weighted',
      ]),
    );
    expect(reference.sklearn).toMatch(/^1\./);
  });

  it('computes every metric sklearn computes, and no other, to 1e-9', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const c of reference.cases) {
      const values = ours(c);
      expect({ case: c.name, metrics: Object.keys(values).sort() }).toEqual({ case: c.name, metrics: Object.keys(c.expected).sort() });
      for (const [name, expected] of Object.entries(c.expected)) {
        compared++;
        if (!(Math.abs(values[name] - expected) <= 1e-9))
          disagreements.push(`${c.name} ${name}: ours ${values[name]}, sklearn ${expected}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(220);
  });

  it('builds the same confusion matrices, classes in the same order', () => {
    for (const c of reference.cases.filter((c) => c.kind === 'classification')) {
      const matrix = confusionMatrix(
        { labels: c.labels as string[], predictions: c.predictions as string[] },
        { positiveClass: c.positiveClass, weights: c.weights === undefined ? undefined : Float64Array.from(c.weights) },
      );
      expect({ case: c.name, ...matrix }).toEqual({ case: c.name, ...c.confusion });
    }
  });
});
