// Turns a predictions table into the rows the metrics take: labels, predictions, scores or per-class
// probabilities, ids for pairing with a baseline, and the values of the slice columns.

import { InputError } from '../errors.js';
import type { PredictionTable } from './prediction-table.js';

/** Which columns hold what, as the inputs name them. */
export interface PredictionColumns {
  task: 'classification' | 'regression';
  label: string;
  prediction: string;
  /** As given: column names, or a `prefix*` pattern; undefined: every `score_*` column, if any. */
  scores?: string[];
  id?: string;
  slices?: string[];
}

/** Classification or regression rows read from one predictions file. */
export interface PredictionSet {
  path: string;
  task: 'classification' | 'regression';
  rowCount: number;
  /** Text labels (classification) or their text (regression, for pairing checks). */
  labels: string[];
  predictions: string[];
  /** Regression: labels and predictions as numbers. */
  numericLabels?: Float64Array;
  numericPredictions?: Float64Array;
  /** Binary: the one score column. */
  scores?: Float64Array;
  /** Per-class probabilities (row-major), columns in `probabilityClasses` order. */
  probabilities?: Float64Array[];
  probabilityClasses?: string[];
  /** The score columns used, for the report. */
  scoreColumns: string[];
  ids?: string[];
  /** Slice column → value of each row ('' for missing). */
  slices: Map<string, string[]>;
  /** Line of each row in the file, for messages. */
  lines: number[];
}

const SCORE_PREFIX = 'score_';

/** Most distinct integer labels that still read as classes when `task` is not given; more is regression. */
export const MAX_INFERRED_CLASSES = 20;

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The task of a predictions table whose `task` input was not given, and why: regression when every
 * label is a number and either some label is not an integer or there are more than
 * MAX_INFERRED_CLASSES distinct labels; classification otherwise (text labels, or few integer codes).
 * A missing label column is left for readPredictionSet to report.
 */
export function inferTask(table: PredictionTable, labelColumn: string): { task: 'classification' | 'regression'; reason: string } {
  const cells = table.cells.get(labelColumn);
  if (cells === undefined) return { task: 'classification', reason: `there is no label column ${JSON.stringify(labelColumn)}` };
  const distinct = new Set<string>();
  let allNumbers = true;
  let fraction: string | undefined;
  for (const cell of cells) {
    if (cell === null) continue;
    const text = cell.trim();
    distinct.add(text);
    if (!NUMERIC.test(text)) allNumbers = false;
    else if (fraction === undefined && !Number.isInteger(Number(text))) fraction = text;
  }
  const column = `label column ${JSON.stringify(labelColumn)}`;
  if (!allNumbers || distinct.size === 0)
    return { task: 'classification', reason: `${column} holds text (${distinct.size} distinct values)` };
  if (fraction !== undefined)
    return { task: 'regression', reason: `${column} holds numbers that are not integers (such as ${fraction}), ${distinct.size} distinct` };
  if (distinct.size > MAX_INFERRED_CLASSES)
    return {
      task: 'regression',
      reason: `${column} holds ${distinct.size} distinct integers (more than ${MAX_INFERRED_CLASSES} read as values, not classes)`,
    };
  return {
    task: 'classification',
    reason: `${column} holds ${distinct.size} distinct integers (${MAX_INFERRED_CLASSES} or fewer read as classes)`,
  };
}

/**
 * Reads the rows of `table` with the given columns. Throws InputError naming the input, the file and
 * the row when a column is missing, a label or prediction is empty, or a score is not a number.
 */
export function readPredictionSet(table: PredictionTable, columns: PredictionColumns): PredictionSet {
  const column = (name: string, input: string): (string | null)[] => {
    const cells = table.cells.get(name);
    if (cells === undefined) {
      throw new InputError(
        `Input '${input}': ${table.path} has no column ${JSON.stringify(name)}; its columns are ${table.columns.join(', ')}.`,
        { file: table.path, line: 1 },
      );
    }
    return cells;
  };
  const required = (name: string, input: string): string[] => {
    const cells = column(name, input);
    return cells.map((cell, i) => {
      if (cell === null) {
        throw new InputError(
          `${table.path}:${table.lines[i]}: column ${name} is empty; every row needs a ${input === 'label-column' ? 'label' : 'prediction'}.`,
          { file: table.path, line: table.lines[i] },
        );
      }
      return cell;
    });
  };
  const labels = required(columns.label, 'label-column');
  const predictions = required(columns.prediction, 'prediction-column');
  const set: PredictionSet = {
    path: table.path,
    task: columns.task,
    rowCount: table.rowCount,
    labels,
    predictions,
    scoreColumns: [],
    slices: new Map(),
    lines: table.lines,
  };

  if (columns.task === 'regression') {
    set.numericLabels = numbers(table, columns.label, labels);
    set.numericPredictions = numbers(table, columns.prediction, predictions);
  } else {
    const scoreColumns = resolveScoreColumns(table, columns.scores);
    set.scoreColumns = scoreColumns;
    if (scoreColumns.length === 1) {
      set.scores = numbers(table, scoreColumns[0], required(scoreColumns[0], 'score-columns'));
    } else if (scoreColumns.length > 1) {
      const values = scoreColumns.map((name) => numbers(table, name, required(name, 'score-columns')));
      set.probabilities = Array.from({ length: table.rowCount }, (_, i) => Float64Array.from(values, (v) => v[i]));
      set.probabilityClasses = scoreColumns.map((name) => (name.startsWith(SCORE_PREFIX) ? name.slice(SCORE_PREFIX.length) : name));
    }
  }
  if (columns.id !== undefined) {
    const ids = column(columns.id, 'id-column').map((cell, i) => {
      if (cell === null)
        throw new InputError(`${table.path}:${table.lines[i]}: column ${columns.id} (the id column) is empty.`, {
          file: table.path,
          line: table.lines[i],
        });
      return cell;
    });
    const seen = new Map<string, number>();
    ids.forEach((id, i) => {
      const before = seen.get(id);
      if (before !== undefined) {
        throw new InputError(
          `${table.path}:${table.lines[i]}: id ${JSON.stringify(id)} occurs twice (also on line ${table.lines[before]}); the id column must identify each row.`,
          { file: table.path, line: table.lines[i] },
        );
      }
      seen.set(id, i);
    });
    set.ids = ids;
  }
  for (const name of columns.slices ?? [])
    set.slices.set(
      name,
      column(name, 'slices').map((cell) => cell ?? ''),
    );
  return set;
}

/** The score columns to use: as listed, `prefix*` expanded in header order, or by default every `score_*` column. */
function resolveScoreColumns(table: PredictionTable, given: string[] | undefined): string[] {
  const patterns = given ?? [`${SCORE_PREFIX}*`];
  const found: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('*')) {
      const prefix = pattern.slice(0, -1);
      const matches = table.columns.filter((name) => name.startsWith(prefix));
      if (matches.length === 0 && given !== undefined) {
        throw new InputError(
          `Input 'score-columns': ${pattern} matches no column of ${table.path}; its columns are ${table.columns.join(', ')}.`,
          { file: table.path, line: 1 },
        );
      }
      for (const name of matches) if (!found.includes(name)) found.push(name);
    } else {
      if (!table.cells.has(pattern)) {
        throw new InputError(
          `Input 'score-columns': ${table.path} has no column ${JSON.stringify(pattern)}; its columns are ${table.columns.join(', ')}.`,
          { file: table.path, line: 1 },
        );
      }
      if (!found.includes(pattern)) found.push(pattern);
    }
  }
  return found;
}

function numbers(table: PredictionTable, name: string, cells: string[]): Float64Array {
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i].trim();
    const value = text === '' ? NaN : Number(text);
    if (!Number.isFinite(value)) {
      throw new InputError(`${table.path}:${table.lines[i]}: column ${name} is ${JSON.stringify(cells[i])}, expected a finite number.`, {
        file: table.path,
        line: table.lines[i],
      });
    }
    values[i] = value;
  }
  return values;
}
