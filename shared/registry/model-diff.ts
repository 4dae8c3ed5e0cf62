// Two registered models compared without pulling them: files by path and layer digest (one file per
// layer, so an unchanged file is an unchanged digest), metrics from their lineage.
import type { ModelDetails, ModelFile } from './model-details.js';

export interface ModelFileChange {
  path: string;
  from: ModelFile;
  to: ModelFile;
}

export interface MetricChange {
  /** The metric's name; evaluation metrics are prefixed `evaluation.`. */
  name: string;
  from?: number;
  to?: number;
}

export interface ModelDiff {
  /** Same manifest digest: the same model. */
  same: boolean;
  added: ModelFile[];
  removed: ModelFile[];
  changed: ModelFileChange[];
  unchanged: number;
  /** Metrics whose value differs or that only one side has, by name. */
  metrics: MetricChange[];
  /** Metrics both sides have with the same value. */
  sameMetrics: number;
  verdict: { from?: string; to?: string };
}

/** What the diff reads from each side: the model and its metrics (metrics file, then evaluation annotations). */
export interface DiffSide {
  details: ModelDetails;
  metrics: Record<string, number>;
}

function evaluationOf(details: ModelDetails): { metrics: Record<string, number>; verdict?: string } {
  const evaluation = details.lineage.find((l) => l.kind === 'evaluation');
  return evaluation ? { metrics: evaluation.metrics, ...(evaluation.verdict ? { verdict: evaluation.verdict } : {}) } : { metrics: {} };
}

function allMetrics(side: DiffSide): Record<string, number> {
  const evaluation = evaluationOf(side.details).metrics;
  return { ...side.metrics, ...Object.fromEntries(Object.entries(evaluation).map(([name, value]) => [`evaluation.${name}`, value])) };
}

/** The difference from `a` to `b`. Paths compare byte-wise; a path in several layers counts its first. */
export function diffModels(a: DiffSide, b: DiffSide): ModelDiff {
  const byPath = (files: ModelFile[]): Map<string, ModelFile> => {
    const map = new Map<string, ModelFile>();
    for (const file of files) if (!map.has(file.path)) map.set(file.path, file);
    return map;
  };
  const from = byPath(a.details.files);
  const to = byPath(b.details.files);
  const order = (x: { path: string }, y: { path: string }): number => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  const added = [...to.values()].filter((f) => !from.has(f.path)).sort(order);
  const removed = [...from.values()].filter((f) => !to.has(f.path)).sort(order);
  const changed: ModelFileChange[] = [];
  let unchanged = 0;
  for (const [path, file] of from) {
    const other = to.get(path);
    if (!other) continue;
    if (other.layer === file.layer) unchanged++;
    else changed.push({ path, from: file, to: other });
  }
  changed.sort(order);

  const metricsA = allMetrics(a);
  const metricsB = allMetrics(b);
  const names = [...new Set([...Object.keys(metricsA), ...Object.keys(metricsB)])].sort();
  const metrics: MetricChange[] = [];
  let sameMetrics = 0;
  for (const name of names) {
    const x = metricsA[name];
    const y = metricsB[name];
    if (x !== undefined && x === y) sameMetrics++;
    else metrics.push({ name, ...(x !== undefined ? { from: x } : {}), ...(y !== undefined ? { to: y } : {}) });
  }
  const verdictA = evaluationOf(a.details).verdict;
  const verdictB = evaluationOf(b.details).verdict;
  return {
    same: a.details.digest === b.details.digest,
    added,
    removed,
    changed,
    unchanged,
    metrics,
    sameMetrics,
    verdict: { ...(verdictA ? { from: verdictA } : {}), ...(verdictB ? { to: verdictB } : {}) },
  };
}
