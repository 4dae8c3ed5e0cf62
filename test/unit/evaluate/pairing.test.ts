import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pairBaseline } from '../../../shared/evaluate/pairing.js';
import { type PredictionColumns, readPredictionSet } from '../../../shared/evaluate/prediction-set.js';
import { readPredictionTable } from '../../../shared/evaluate/prediction-table.js';

// Candidate: penguins-node with default params; baseline: the same split after 3 epochs (learning rate 0.05).
const fixtures = new URL('../../fixtures/evaluate/', import.meta.url).pathname;
const byId: PredictionColumns = { task: 'classification', label: 'label', prediction: 'prediction', id: 'id' };
const byOrder: PredictionColumns = { ...byId, id: undefined };

async function read(path: string, cwd: string, columns: PredictionColumns) {
  return readPredictionSet(await readPredictionTable(path, cwd, 'predictions'), columns);
}

function shuffledBaseline(transform: (lines: string[]) => string[]): string {
  const [header, ...rows] = readFileSync(join(fixtures, 'penguins-baseline-predictions.csv'), 'utf8').trim().split('\n');
  const dir = mkdtempSync(join(tmpdir(), 'pairing-'));
  writeFileSync(join(dir, 'baseline.csv'), [header, ...transform(rows)].join('\n'));
  return dir;
}

describe('pairBaseline', () => {
  it('matches rows by id whatever their order in the baseline file', async () => {
    const candidate = await read('penguins-predictions.csv', fixtures, byId);
    const inOrder = await read('penguins-baseline-predictions.csv', fixtures, byId);
    const reversed = await read(
      'baseline.csv',
      shuffledBaseline((rows) => [...rows].reverse()),
      byId,
    );
    const paired = pairBaseline(candidate, reversed);
    expect(paired.method).toBe('id');
    expect(paired.baseline.ids).toEqual(candidate.ids);
    expect(paired.baseline.predictions).toEqual(inOrder.predictions);
    expect(paired.baseline.probabilities).toEqual(inOrder.probabilities);
    // The 3-epoch baseline really is a different model.
    expect(paired.baseline.predictions).not.toEqual(candidate.predictions);
  });

  it('matches by row order when there is no id column, after checking the labels agree', async () => {
    const candidate = await read('penguins-predictions.csv', fixtures, byOrder);
    const baseline = await read('penguins-baseline-predictions.csv', fixtures, byOrder);
    expect(pairBaseline(candidate, baseline).method).toBe('row order');
    const reversed = await read(
      'baseline.csv',
      shuffledBaseline((rows) => [...rows].reverse()),
      byOrder,
    );
    expect(() => pairBaseline(candidate, reversed)).toThrow(
      /^Input 'baseline': the true labels differ on row 1: "Adelie" in penguins-predictions.csv \(line 2\) but "Gentoo" in baseline.csv \(line 2\); .* \(set id-column to match rows by id\)\.$/,
    );
  });

  it('names the id the baseline lacks, and refuses different row counts', async () => {
    const candidate = await read('penguins-predictions.csv', fixtures, byId);
    const missing = await read(
      'baseline.csv',
      shuffledBaseline((rows) => rows.slice(1)),
      byId,
    );
    expect(() => pairBaseline(candidate, missing)).toThrow(
      `Input 'baseline': baseline.csv has no row with id "1" (penguins-predictions.csv line 2)`,
    );
    const shorter = await read(
      'baseline.csv',
      shuffledBaseline((rows) => rows.slice(1)),
      byOrder,
    );
    const candidateInOrder = await read('penguins-predictions.csv', fixtures, byOrder);
    expect(() => pairBaseline(candidateInOrder, shorter)).toThrow('baseline.csv has 85 rows but penguins-predictions.csv has 86');
  });
});
