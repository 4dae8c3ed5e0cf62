import type { ColumnKind, ProfileJSON } from '../data/profile.js';
import type { ColumnDrift, DriftColumn, DriftThresholds } from '../data/drift.js';
import { layoutColumns, type FeatureLayout } from './feature-layout.js';
import { liveDrift, referenceColumns, WindowedProfile, type ProfiledColumn } from './live-profile.js';
import type { TensorData, TensorSpec } from './tensor-types.js';

export interface ServingProfilesOptions {
  windowMs: number;
  windows: number;
  thresholds: DriftThresholds;
  /** How long a drift computation is reused (scrapes come every few seconds). */
  cacheMs?: number;
  now?: () => number;
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
  private readonly outputs: { name: string; width: number }[];
  private cached?: { at: number; drift: ColumnDrift[] };
  /** The reference's columns, their sketches parsed once. */
  private readonly referenceDrift?: Map<string, DriftColumn>;

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
      return width === undefined ? [] : [{ name: o.name, width }];
    });
    const predictionColumns = this.outputs.map((o): ProfiledColumn => ({ name: o.name, kind: o.width === 1 ? 'numeric' : 'categorical' }));
    const now = options.now ?? Date.now;
    this.inputs = new WindowedProfile(inputColumns, options.windowMs, options.windows, now);
    this.predictions = new WindowedProfile(predictionColumns, options.windowMs, options.windows, now);
  }

  /** Adds a request's input rows and the model's answers to the live profiles. */
  record(tensors: TensorData[], outputs: TensorData[]): void {
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
    this.outputs.forEach((spec, i) => {
      const out = outputs.find((o) => o.name === spec.name);
      if (!out) return;
      rows = out.shape[0] ?? 0;
      if (spec.width === 1) {
        this.predictions.addColumn(i, out.data as ArrayLike<number>);
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
    });
    this.predictions.countRows(rows);
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
