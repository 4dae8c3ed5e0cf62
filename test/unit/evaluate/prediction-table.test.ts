import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../../shared/errors.js';
import { readPredictionSet } from '../../../shared/evaluate/prediction-set.js';
import { isPredictionFile, readPredictionTable } from '../../../shared/evaluate/prediction-table.js';

// penguins-node's predictions.csv (train.mjs, default params): 86 held-out penguins, and the same rows as Parquet (pyarrow).
const fixtures = new URL('../../fixtures/evaluate/', import.meta.url).pathname;
const csvText = readFileSync(join(fixtures, 'penguins-predictions.csv'), 'utf8');
const columns = { task: 'classification' as const, label: 'label', prediction: 'prediction', id: 'id', slices: ['island'] };

function temp(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'prediction-table-'));
  writeFileSync(join(dir, name), content);
  return dir;
}

function asJsonLines(csv: string): string {
  const [header, ...rows] = csv
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  return rows
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(header!.map((name, i) => [name, name === 'id' || name.startsWith('score_') ? Number(row[i]) : row[i]])),
      ),
    )
    .join('\n');
}

describe('readPredictionTable + readPredictionSet', () => {
  it('reads the penguins predictions from CSV: labels, predictions, probabilities per class, ids, slices', async () => {
    const set = readPredictionSet(await readPredictionTable('penguins-predictions.csv', fixtures, 'predictions'), columns);
    expect(set.rowCount).toBe(86);
    expect(set.probabilityClasses).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(set.scoreColumns).toEqual(['score_Adelie', 'score_Chinstrap', 'score_Gentoo']);
    expect(set.labels[0]).toBe('Adelie');
    expect(Array.from(set.probabilities![0]!)).toEqual([0.97863667, 0.01986138, 0.00150195]);
    expect(set.ids!.slice(0, 2)).toEqual(['1', '5']);
    expect(new Set(set.slices.get('island'))).toEqual(new Set(['Torgersen', 'Biscoe', 'Dream']));
    expect(set.lines[0]).toBe(2);
  });

  it('reads the same rows from Parquet, JSON lines and gzip-compressed CSV', async () => {
    const fromCsv = readPredictionSet(await readPredictionTable('penguins-predictions.csv', fixtures, 'predictions'), columns);
    const fromParquet = readPredictionSet(await readPredictionTable('penguins-predictions.parquet', fixtures, 'predictions'), columns);
    const jsonl = temp('p.jsonl', asJsonLines(csvText));
    const fromJsonl = readPredictionSet(await readPredictionTable('p.jsonl', jsonl, 'predictions'), columns);
    const gz = temp('p.csv.gz', gzipSync(csvText));
    const fromGzip = readPredictionSet(await readPredictionTable('p.csv.gz', gz, 'predictions'), columns);
    for (const other of [fromParquet, fromJsonl, fromGzip]) {
      expect(other.labels).toEqual(fromCsv.labels);
      expect(other.predictions).toEqual(fromCsv.predictions);
      expect(other.ids).toEqual(fromCsv.ids);
      expect(other.probabilities).toEqual(fromCsv.probabilities);
      expect(other.slices).toEqual(fromCsv.slices);
    }
  });

  it('takes one score column as the positive-class score, and expands a prefix pattern', async () => {
    const table = await readPredictionTable('penguins-predictions.csv', fixtures, 'predictions');
    const binary = readPredictionSet(table, { ...columns, scores: ['score_Gentoo'] });
    expect(binary.scores![0]).toBe(0.00150195);
    expect(binary.probabilities).toBeUndefined();
    const pattern = readPredictionSet(table, { ...columns, scores: ['score_*'] });
    expect(pattern.probabilityClasses).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it('names the file, line and column of bad cells, and the columns it has', async () => {
    const table = await readPredictionTable('penguins-predictions.csv', fixtures, 'predictions');
    expect(() => readPredictionSet(table, { ...columns, label: 'species' })).toThrow(
      'Input \'label-column\': penguins-predictions.csv has no column "species"; its columns are id, label, prediction, score_Adelie, score_Chinstrap, score_Gentoo, island, sex.',
    );
    const broken = temp('p.csv', csvText.replace('\n5,Adelie,Adelie,0.99737452', '\n5,Adelie,,0.99737452').replace('0.01986138', 'n/a'));
    const brokenTable = await readPredictionTable('p.csv', broken, 'predictions');
    expect(() => readPredictionSet(brokenTable, columns)).toThrow('p.csv:3: column prediction is empty; every row needs a prediction.');
    expect(() => readPredictionSet(brokenTable, { ...columns, prediction: 'label' })).toThrow(
      'p.csv:2: column score_Chinstrap is "n/a", expected a finite number.',
    );
    const error = (() => {
      try {
        readPredictionSet(brokenTable, columns);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.at).toEqual({ file: 'p.csv', line: 3 });
  });

  it('refuses duplicate ids, unknown formats and missing files', async () => {
    const duplicated = temp('p.csv', csvText.replace('\n5,', '\n1,'));
    await expect(readPredictionTable('p.csv', duplicated, 'predictions').then((t) => readPredictionSet(t, columns))).rejects.toThrow(
      'p.csv:3: id "1" occurs twice (also on line 2); the id column must identify each row.',
    );
    await expect(readPredictionTable('p.xlsx', fixtures, 'baseline')).rejects.toThrow("Input 'baseline': cannot read p.xlsx");
    await expect(readPredictionTable('missing.csv', fixtures, 'predictions')).rejects.toThrow(
      "Input 'predictions': missing.csv does not exist",
    );
    expect([isPredictionFile('a.parquet'), isPredictionFile('a.csv.gz'), isPredictionFile('metrics.json')]).toEqual([true, true, false]);
  });
});
