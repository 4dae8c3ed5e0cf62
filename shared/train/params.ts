import { InputError } from '../errors.js';
import { readFileOrInline } from '../schemas/file-or-inline.js';

/** Hyperparameters: a mapping, as read from the `params` input. */
export type Params = Record<string, unknown>;

/** Where the params came from: a file (relative as given) or inline text. */
export interface ReadParams {
  params: Params;
  source: { file: string } | { inline: true };
}

/** What params must be: a mapping. */
const paramsJsonSchema = { type: 'object' } as const;

/**
 * Reads the `params` input: an existing file (YAML or JSON) is read, anything else is parsed as
 * inline YAML. Returns `{}` when not given. Throws InputError when the text is not YAML or not a mapping.
 */
export async function readParams(value: string | undefined, cwd: string): Promise<ReadParams> {
  if (value === undefined || value.trim() === '') return { params: {}, source: { inline: true } };
  const { text, file } = await readFileOrInline(value, cwd);
  const source = file !== undefined ? { file } : ({ inline: true } as const);
  const where = file !== undefined ? `params file ${file}` : `inline params`;
  // Loaded only when params are given: the YAML parser and Ajv are most of a small step's start-up.
  const { firstSchemaError, YamlDocument } = await import('../schemas/yaml-document.js');
  const doc = YamlDocument.parse(text);
  const syntaxError = doc.syntaxError;
  if (syntaxError) {
    throw new InputError(
      `Input 'params': the ${where} is not valid YAML: ${syntaxError.message}`,
      file !== undefined ? { file, line: syntaxError.line, column: syntaxError.column } : {},
    );
  }
  const data = doc.data(`Input 'params': the ${where}`, file !== undefined ? { file } : {});
  if (data === null || data === undefined) return { params: {}, source };
  if (firstSchemaError(paramsJsonSchema, data)) {
    const hint = file !== undefined ? '' : ` (no file ${value.trim()} exists in ${cwd}, so it was read as inline YAML)`;
    throw new InputError(
      `Input 'params': the ${where} is ${JSON.stringify(data)}${hint}; expected a mapping such as {epochs: 10, learning_rate: 0.01}.`,
      file !== undefined ? { file } : {},
    );
  }
  return { params: data as Params, source };
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
