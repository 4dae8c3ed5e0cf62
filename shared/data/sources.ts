import { glob, stat } from 'node:fs/promises';
import { extname, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** One data file to read. */
export interface DataSource {
  /** As the user would write it: relative to the working directory when inside it. */
  path: string;
  absolute: string;
  format: DataFormat;
  gzip: boolean;
  size: number;
}

const FORMATS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

/** The format of a file from its name; throws InputError for names it cannot read. */
export function formatOf(path: string): { format: DataFormat; gzip: boolean } {
  const gzip = path.toLowerCase().endsWith('.gz');
  const base = gzip ? path.slice(0, -3) : path;
  const format = FORMATS[extname(base).toLowerCase()];
  if (!format || (gzip && format === 'parquet')) {
    throw new InputError(
      `Input 'data': cannot read ${path}: expected a .csv, .tsv, .jsonl, .ndjson or .parquet file (csv, tsv and jsonl may be gzip-compressed, .gz).`,
      { file: path },
    );
  }
  return { format, gzip };
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Resolves the `data` input (paths or globs, relative to `cwd`) to files, sorted by path within each
 * pattern so the fingerprint does not depend on directory order. Throws InputError for a missing file
 * or a pattern that matches nothing.
 */
export async function resolveDataSources(patterns: string[], cwd: string): Promise<DataSource[]> {
  const found: DataSource[] = [];
  const seen = new Set<string>();
  for (const pattern of patterns) {
    let paths: string[];
    if (GLOB_CHARS.test(pattern)) {
      paths = [];
      for await (const match of glob(pattern, { cwd })) paths.push(match);
      paths.sort();
      if (paths.length === 0) throw new InputError(`Input 'data': the pattern ${pattern} matches no file in ${cwd}.`);
    } else {
      paths = [pattern];
    }
    for (const path of paths) {
      const absolute = resolve(cwd, path);
      if (seen.has(absolute)) continue;
      const info = await stat(absolute).catch(() => undefined);
      if (!info) throw new InputError(`Input 'data': ${path} does not exist (looked in ${cwd}).`, { file: path });
      if (info.isDirectory()) continue;
      seen.add(absolute);
      const shown = relative(cwd, absolute);
      found.push({ path: shown.startsWith('..') ? absolute : shown, absolute, ...formatOf(path), size: info.size });
    }
  }
  if (found.length === 0) throw new InputError(`Input 'data': ${patterns.join(', ')} names no file.`);
  return found;
}
