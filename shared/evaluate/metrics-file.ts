import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { heldOutSplit, type MetricEstimates, parseMetricsText } from '../metrics/metrics-file.js';

/** Metrics read from a file, and how a nested file's bare names were chosen. */
export interface MetricsFileRead {
  metrics: MetricEstimates;
  /** The held-out split whose metrics also go by their bare names (`rmse` for `validation.rmse`), when the file is nested by split. */
  split?: string;
  /** The file's splits, when nested. */
  splits: string[];
}

/**
 * Reads metrics computed elsewhere, in the format train writes (shared/metrics/metrics-file.ts), or an
 * earlier run's `report-json`. A file nested by split also gives its held-out split's metrics (test,
 * else validation, …) under their bare names, so `rmse <= baseline` finds `validation.rmse`; a bare
 * name already in the file wins. Throws InputError naming `input`, the file and the offending metric.
 */
export async function readMetricsFile(path: string, cwd: string, input: string): Promise<MetricsFileRead> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch(() => {
    throw new InputError(`Input '${input}': ${path} does not exist (looked in ${cwd}).`, { file: path });
  });
  const contents = parseMetricsText(text, path, { where: `Input '${input}': ${path}` });
  const split = heldOutSplit(contents);
  const metrics: MetricEstimates = { ...contents.metrics };
  if (split !== undefined) {
    for (const [name, estimate] of Object.entries(contents.metrics)) {
      if (!name.startsWith(`${split}.`)) continue;
      const bare = name.slice(split.length + 1);
      if (!(bare in metrics)) metrics[bare] = estimate;
    }
  }
  return { metrics, split, splits: contents.splits };
}
