import type { ColumnKind, ProfileJSON } from '../data/profile.js';
import { driftColumnOfAccumulator, type ColumnDrift, type DriftColumn, type DriftThresholds } from '../data/drift.js';
import { layoutColumns, type FeatureLayout } from './feature-layout.js';
import { liveDrift, referenceColumns, WindowedProfile, type ProfiledColumn } from './live-profile.js';
import { referencePredictionColumn, type PredictionOutput, type ReferencePredictions } from './prediction-reference.js';
import type { TensorData, TensorSpec } from './tensor-types.js';

export interface ServingProfilesOptions {
  windowMs: number;
  windows: number;
  thresholds: DriftThresholds;
  /** How long a drift computation is reused (scrapes come every few seconds). */
  cacheMs?: number;
  now?: () => number;
  /** The registered model's held-out predictions: the reference of prediction drift. */
  predictionReference?: ReferencePredictions;
}

/** What a request's rows were predicted: class names, or the output's values (one per row). */
export type PredictedValues = ArrayLike<number | string | bigint>;

/** Up to `max` predicted values as JSON takes them (int64 outputs are bigints), for the request log. */
export function loggedPredictions(values: PredictedValues, max: number): (number | string)[] {
  const n = Math.min(values.length, max);
  const out = new Array<number | string>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    out[i] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

/** Values per row of an output: a classifier's [rows, classes] gives classes. */
function rowWidth(spec: TensorSpec): number | undefined {
  const inner = spec.shape.slice(1);
  return inner.every((d) => d >= 0) ? inner.reduce((a, b) => a * b, 1) : undefined;
}

/**
 * The live input profile (one column per feature the model reads) and prediction profile (one column
 * per output: the value when a row has one, else the class with the highest score), and the input
 * drift against the registered data profile.
 */
export class ServingProfiles {
  readonly inputs: WindowedProfile;
  readonly predictions: WindowedProfile;
  private readonly outputs: { name: string; width: number; categorical: boolean }[];
  private cached?: { at: number; drift: ColumnDrift[] };
  private cachedPredictions?: { at: number; drift: ColumnDrift[] };
  /** The reference's columns, their sketches parsed once. */
  private readonly referenceDrift?: Map<string, DriftColumn>;
  /** The output that is the model's prediction (the request log's `prediction`, prediction drift); -1 when none is profiled. */
  readonly predictionIndex: number;
  readonly predictionOutput?: PredictionOutput;
  /** The held-out predictions' column, against which the prediction output drifts. */
  private readonly predictionReference?: DriftColumn;
  /** Why there is no prediction reference although one was given. */
  readonly predictionReferenceProblem?: string;

  constructor(
    private readonly layout: FeatureLayout,
    outputs: TensorSpec[],
    private readonly labels: string[] | undefined,
    reference: ProfileJSON | undefined,
    private readonly options: ServingProfilesOptions,
  ) {
    const refKinds = new Map((reference?.columns ?? []).map((c) => [c.name, c.kind]));
    this.referenceDrift = reference ? referenceColumns(reference) : undefined;
    const datatypeKind = (name: string): ColumnKind => {
      const spec =
        layout.kind === 'columns' ? layout.inputs.find((i) => i.name === name) : layout.kind === 'matrix' ? layout.input : undefined;
      return spec && (spec.datatype === 'BYTES' || spec.datatype === 'BOOL') ? 'categorical' : 'numeric';
    };
    const inputColumns: ProfiledColumn[] = layoutColumns(layout).map((name) => {
      const kind = refKinds.get(name) ?? datatypeKind(name);
      return { name, kind: kind === 'temporal' ? 'numeric' : kind };
    });
    this.outputs = outputs.flatMap((o) => {
      const width = rowWidth(o);
      // A text or boolean output (a label tensor) is a class per row; a number per row is a value.
      return width === undefined
        ? []
        : [{ name: o.name, width, categorical: width > 1 || o.datatype === 'BYTES' || o.datatype === 'BOOL' }];
    });
    const predictionColumns = this.outputs.map((o): ProfiledColumn => ({ name: o.name, kind: o.categorical ? 'categorical' : 'numeric' }));
    // A classifier's prediction is its class output; else the first value output.
    const categoricalIndex = this.outputs.findIndex((o) => o.categorical);
    this.predictionIndex = categoricalIndex >= 0 ? categoricalIndex : this.outputs.length > 0 ? 0 : -1;
    const predicted = this.outputs[this.predictionIndex];
    if (predicted) {
      const classes =
        predicted.width > 1
          ? labels?.length === predicted.width
            ? labels
            : Array.from({ length: predicted.width }, (_, k) => String(k))
          : undefined;
      this.predictionOutput = {
        name: predicted.name,
        kind: predicted.categorical ? 'categorical' : 'numeric',
        ...(classes ? { classes } : {}),
      };
    }
    if (options.predictionReference) {
      const column = this.predictionOutput
        ? referencePredictionColumn(options.predictionReference, this.predictionOutput)
        : { reason: 'the model has no output of one value or one class per row' };
      if ('reason' in column) this.predictionReferenceProblem = column.reason;
      else this.predictionReference = driftColumnOfAccumulator(column);
    }
    const now = options.now ?? Date.now;
    this.inputs = new WindowedProfile(inputColumns, options.windowMs, options.windows, now);
    this.predictions = new WindowedProfile(predictionColumns, options.windowMs, options.windows, now);
  }

  /** Adds a request's input rows and the model's answers to the live profiles; returns the rows' predictions. */
  record(tensors: TensorData[], outputs: TensorData[]): PredictedValues | undefined {
    const layout = this.layout;
    if (layout.kind === 'matrix') {
      const t = tensors[0]!;
      this.inputs.addMatrix(t.data as ArrayLike<number>, t.shape[0]!, layout.columns.length);
      this.inputs.countRows(t.shape[0]!);
    } else if (layout.kind === 'columns') {
      tensors.forEach((t, i) => this.inputs.addColumn(i, t.data as ArrayLike<number | string>));
      this.inputs.countRows(tensors[0]?.shape[0] ?? 0);
    }
    let rows = 0;
    let predicted: PredictedValues | undefined;
    this.outputs.forEach((spec, i) => {
      const out = outputs.find((o) => o.name === spec.name);
      if (!out) return;
      rows = out.shape[0] ?? 0;
      if (spec.width === 1) {
        this.predictions.addColumn(i, out.data as ArrayLike<number>);
        if (i === this.predictionIndex) predicted = out.data as PredictedValues;
        return;
      }
      const data = out.data as ArrayLike<number>;
      const classes = new Array<string>(rows);
      for (let r = 0; r < rows; r++) {
        let best = 0;
        for (let k = 1; k < spec.width; k++) if (data[r * spec.width + k]! > data[r * spec.width + best]!) best = k;
        classes[r] = this.labels?.length === spec.width ? this.labels[best]! : String(best);
      }
      this.predictions.addColumn(i, classes);
      if (i === this.predictionIndex) predicted = classes;
    });
    this.predictions.countRows(rows);
    return predicted;
  }

  /** Drift of the live prediction output against the held-out predictions (empty without them); reused for `cacheMs`. */
  predictionDrift(): ColumnDrift[] {
    if (!this.predictionReference) return [];
    const now = (this.options.now ?? Date.now)();
    if (this.cachedPredictions && now - this.cachedPredictions.at < (this.options.cacheMs ?? 1000)) return this.cachedPredictions.drift;
    const live = this.predictions.driftColumns()[this.predictionIndex]!;
    const reference = this.predictionReference;
    const drift = liveDrift(new Map([[live.name, reference]]), [live], this.options.thresholds);
    this.cachedPredictions = { at: now, drift };
    return drift;
  }

  /** Drift of the live inputs against the reference profile (empty without one); reused for `cacheMs`. */
  drift(): ColumnDrift[] {
    if (!this.referenceDrift) return [];
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 1000)) return this.cached.drift;
    const drift = liveDrift(this.referenceDrift, this.inputs.driftColumns(), this.options.thresholds);
    this.cached = { at: now, drift };
    return drift;
  }
}
