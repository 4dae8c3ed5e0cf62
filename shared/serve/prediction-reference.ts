// The reference of prediction drift: the registered model's held-out predictions (register's `predictions`
// lineage, the file evaluate read), profiled with validate-data's sketches, so live predictions are judged
// exactly as live inputs are (shared/data/drift.ts: a test below 1,000 values, PSI or JS above).
import { resolve } from 'node:path';
import { ColumnAccumulator, type ColumnKind } from '../data/profile.js';
import { readPredictionTable } from '../evaluate/prediction-table.js';
import { InputError } from '../errors.js';
import { addProfileValue } from './live-profile.js';

/** The predictions column evaluate reads by default. */
export const REFERENCE_PREDICTION_COLUMN = 'prediction';

/** The held-out predictions as read: one cell per row. */
export interface ReferencePredictions {
  path: string;
  column: string;
  values: (string | null)[];
}

/** What the serving runtime predicts: the output it profiles, its kind, and the classes it can give (when known). */
export interface PredictionOutput {
  name: string;
  kind: ColumnKind;
  /** Every value a categorical output can take (class names, or `0`…`k-1` without them); undefined when open. */
  classes?: string[];
}

/**
 * Reads the `column` of a predictions file (CSV, TSV, JSONL, Parquet; bounded as evaluate reads them).
 * Throws InputError when the file cannot be read or has no such column.
 */
export async function readReferencePredictions(path: string, column = REFERENCE_PREDICTION_COLUMN): Promise<ReferencePredictions> {
  const table = await readPredictionTable(resolve(path), process.cwd(), 'predictions');
  const values = table.cells.get(column);
  if (!values)
    throw new InputError(
      `${path} has no "${column}" column (columns: ${table.columns.join(', ')}): it cannot be the prediction reference`,
      {
        file: path,
      },
    );
  return { path, column, values };
}

/**
 * The reference column of `output`: the held-out predictions in validate-data's sketches, named after the
 * output. Returns a reason instead when they cannot be compared with what the output gives (a class the
 * model cannot predict, text where the output is a number), so no gauge is exported rather than a false one.
 */
export function referencePredictionColumn(
  reference: ReferencePredictions,
  output: PredictionOutput,
): ColumnAccumulator | { reason: string } {
  const acc = new ColumnAccumulator(output.name, output.kind === 'categorical' ? 'string' : 'number', output.kind);
  const known = output.classes ? new Set(output.classes) : undefined;
  for (let i = 0; i < reference.values.length; i++) {
    const value = reference.values[i] ?? null;
    if (value === null || value === '') {
      acc.nulls++;
      continue;
    }
    if (output.kind === 'categorical') {
      if (known && !known.has(value))
        return {
          reason: `${reference.path} predicts ${JSON.stringify(value.slice(0, 100))} (row ${i + 1}), which output ${output.name} cannot give (${output.classes!.slice(0, 10).join(', ')}${output.classes!.length > 10 ? ', …' : ''})`,
        };
      addProfileValue(acc, value);
      continue;
    }
    const x = Number(value);
    if (value.trim() === '' || Number.isNaN(x))
      return {
        reason: `${reference.path} predicts ${JSON.stringify(value.slice(0, 100))} (row ${i + 1}), not a number as output ${output.name} gives`,
      };
    addProfileValue(acc, x);
  }
  if (acc.count === 0) return { reason: `${reference.path} holds no predictions in its "${reference.column}" column` };
  return acc;
}

/**
 * The held-out predictions at `path`, or undefined (with a line saying why) when they cannot be read: the
 * server serves without prediction drift rather than not at all, and monitor-gate's rule is inconclusive.
 */
export async function readPredictionReference(path: string, log: (line: string) => void): Promise<ReferencePredictions | undefined> {
  try {
    return await readReferencePredictions(path);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    log(`no prediction drift: ${error.message}`);
    return undefined;
  }
}
