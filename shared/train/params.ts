import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';

/** Hyperparameters: a mapping, as read from the `params` input. */
export type Params = Record<string, unknown>;

/** Where the params came from: a file (relative as given) or inline text. */
export interface ReadParams {
  params: Params;
  source: { file: string } | { inline: true };
}

/**
 * Reads the `params` input: an existing file (YAML or JSON) is read, anything else is parsed as
 * inline YAML. Returns `{}` when not given. Throws InputError when the text is not YAML or not a mapping.
 */
export async function readParams(value: string | undefined, cwd: string): Promise<ReadParams> {
  if (value === undefined || value.trim() === '') return { params: {}, source: { inline: true } };
  const candidate = value.trim();
  const isFile = !candidate.includes('\n') && (await stat(resolve(cwd, candidate)).catch(() => undefined))?.isFile() === true;
  const text = isFile ? await readFile(resolve(cwd, candidate), 'utf8') : value;
  const where = isFile ? `params file ${candidate}` : `inline params`;
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const detail = (error as Error & { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new InputError(`Input 'params': the ${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, isFile ? { file: candidate, line: detail?.line, column: detail?.col } : {});
  }
  if (data === null || data === undefined) return { params: {}, source: isFile ? { file: candidate } : { inline: true } };
  if (typeof data !== 'object' || Array.isArray(data)) {
    const hint = isFile ? '' : ` (no file ${candidate} exists in ${cwd}, so it was read as inline YAML)`;
    throw new InputError(`Input 'params': the ${where} is ${JSON.stringify(data)}${hint}; expected a mapping such as {epochs: 10, learning_rate: 0.01}.`, isFile ? { file: candidate } : {});
  }
  return { params: data as Params, source: isFile ? { file: candidate } : { inline: true } };
}

/** JSON with object keys sorted at every level: the same params always give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
