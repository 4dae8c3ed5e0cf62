import { constants } from 'node:fs';
import { access, glob, stat } from 'node:fs/promises';
import { extname, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { CsvDialect } from './table-dialect.js';

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** One data file to read. */
export interface DataSource {
  /** As the user would write it: relative to the working directory when inside it. */
  path: string;
  absolute: string;
  format: DataFormat;
  gzip: boolean;
  size: number;
  /** CSV/TSV: how the file is laid out (the dialect input or the resource's); absent for the defaults. */
  dialect?: CsvDialect;
}

const FORMATS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

function formatByName(path: string): { format: DataFormat | undefined; gzip: boolean } {
  const gzip = path.toLowerCase().endsWith('.gz');
  const format = FORMATS[extname(gzip ? path.slice(0, -3) : path).toLowerCase()];
  return { format: gzip && format === 'parquet' ? undefined : format, gzip };
}

/** True when `path` names a table file by its extension (e.g. false for a .json metrics file). */
export function isTableFile(path: string): boolean {
  return formatByName(path).format !== undefined;
}

/** True when a `data` entry names a Data Package descriptor (datapackage.json or .yaml) rather than a table. */
export function isPackageDescriptor(path: string): boolean {
  return /\.(json|ya?ml)$/i.test(path) && !isTableFile(path);
}

/** The format of a file from its name; throws InputError naming `input` for names it cannot read. */
export function formatOf(path: string, input = 'data'): { format: DataFormat; gzip: boolean } {
  const { format, gzip } = formatByName(path);
  if (!format) {
    throw new InputError(
      `Input '${input}': cannot read ${path}: expected a .csv, .tsv, .jsonl, .ndjson or .parquet file (csv, tsv and jsonl may be gzip-compressed, .gz).`,
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
      await access(absolute, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
        throw new InputError(`Input 'data': ${path} cannot be read (${error.code ?? error.message}).`, { file: path });
      });
      seen.add(absolute);
      const shown = relative(cwd, absolute);
      found.push({ path: shown.startsWith('..') ? absolute : shown, absolute, ...formatOf(path), size: info.size });
    }
  }
  if (found.length === 0) throw new InputError(`Input 'data': ${patterns.join(', ')} names no file.`);
  return found;
}
