import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { InputError } from '../../errors.js';
import { firstSchemaError, pointerSegments, YamlDocument } from '../../schemas/yaml-document.js';
import { compileField, FieldDefinitionError } from './field.js';
import { DEFAULT_MISSING_VALUES, FIELD_TYPES, type TableSchema } from './types.js';

const CONSTRAINT_NAMES = ['required', 'unique', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'enum'];

/** JSON Schema (draft-07) of a Table Schema descriptor, written from the Frictionless v1 specification. */
export const tableSchemaJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/mlops-actions/schemas/table-schema.json',
  title: 'Frictionless Table Schema (v1)',
  type: 'object',
  required: ['fields'],
  properties: {
    fields: { type: 'array', items: { $ref: '#/definitions/field' } },
    missingValues: { type: 'array', items: { type: 'string' } },
    primaryKey: { type: ['string', 'array'], items: { type: 'string' }, minItems: 1 },
    foreignKeys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fields', 'reference'],
        properties: {
          fields: { type: ['string', 'array'], items: { type: 'string' } },
          reference: { type: 'object' },
        },
      },
    },
  },
  definitions: {
    field: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        type: { enum: [...FIELD_TYPES] },
        format: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        rdfType: { type: 'string' },
        constraints: { $ref: '#/definitions/constraints' },
        trueValues: { type: 'array', items: { type: 'string' } },
        falseValues: { type: 'array', items: { type: 'string' } },
        decimalChar: { type: 'string', minLength: 1 },
        groupChar: { type: 'string', minLength: 1 },
        bareNumber: { type: 'boolean' },
      },
    },
    constraints: {
      type: 'object',
      // The spec does not forbid other keys, but a misspelt constraint silently checks nothing.
      additionalProperties: false,
      properties: {
        required: { type: 'boolean' },
        unique: { type: 'boolean' },
        minimum: { type: ['number', 'string'] },
        maximum: { type: ['number', 'string'] },
        minLength: { type: 'integer', minimum: 0 },
        maxLength: { type: 'integer', minimum: 0 },
        pattern: { type: 'string' },
        enum: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } },
      },
    },
  },
} as const;

/** A problem at a JSON pointer of the descriptor. */
export interface DescriptorIssue {
  pointer: string;
  message: string;
}

/**
 * Reads a Table Schema from a JSON or YAML file and checks it.
 * Returns the descriptor as written (defaults are applied by `compileField`).
 * Throws InputError naming the file, the JSON pointer, the bad value and what was expected,
 * with the line set for an annotation, when the file is missing, does not parse or is not a valid schema.
 */
export async function loadTableSchema(path: string): Promise<TableSchema> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
    throw new InputError(`${path}: cannot read the Table Schema: ${why}`, { file: path });
  }
  return parseTableSchema(text, path);
}

/**
 * Parses and checks a Table Schema held in `text` (JSON or YAML); `file` names it in messages.
 * Throws InputError as `loadTableSchema` does.
 */
export function parseTableSchema(text: string, file: string): TableSchema {
  let data: unknown;
  if (/\.json$/i.test(file)) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /at position (\d+)/.exec(message);
      const at: { line?: number; column?: number } = position ? lineAndColumn(text, Number(position[1])) : {};
      const reason = message.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+$/, '');
      throw new InputError(`${file}: not valid JSON${at.line ? ` at line ${at.line}` : ''}: ${reason}`, { file, ...at });
    }
  }
  // YAML 1.2 reads JSON too, so one parser gives source positions for both.
  const doc = YamlDocument.parse(text);
  const syntaxError = doc.syntaxError;
  if (data === undefined) {
    if (syntaxError) {
      throw new InputError(`${file}: not valid YAML at line ${syntaxError.line}: ${syntaxError.reason}`, {
        file,
        line: syntaxError.line,
        column: syntaxError.column,
      });
    }
    data = doc.data(file, { file });
  }
  const issue = findDescriptorIssue(data);
  if (issue) {
    const line = syntaxError === undefined ? doc.lineOf(pointerSegments(issue.pointer)) : undefined;
    throw new InputError(`${file}: ${issue.message}`, line ? { file, line } : { file });
  }
  return data as TableSchema;
}

/** The first problem of a Table Schema descriptor held as data (a Data Package's inline schema), or undefined. */
export function tableSchemaIssue(data: unknown): DescriptorIssue | undefined {
  return findDescriptorIssue(data);
}

function findDescriptorIssue(data: unknown): DescriptorIssue | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { pointer: '', message: `the document is ${describeValue(data)}; expected an object with a "fields" array` };
  }
  const schemaError = firstSchemaError(tableSchemaJsonSchema, data);
  if (schemaError) return issueFromAjv(schemaError, data);
  const schema = data as TableSchema;
  const seen = new Map<string, number>();
  for (const [index, field] of schema.fields.entries()) {
    const first = seen.get(field.name);
    if (first !== undefined) {
      return {
        pointer: `/fields/${index}/name`,
        message: `/fields/${index}/name is ${JSON.stringify(field.name)}, the same as /fields/${first}/name; expected unique field names`,
      };
    }
    seen.set(field.name, index);
  }
  const keys = schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : schema.primaryKey;
  for (const [index, key] of keys.entries()) {
    if (!seen.has(key)) {
      const pointer = typeof schema.primaryKey === 'string' ? '/primaryKey' : `/primaryKey/${index}`;
      return {
        pointer,
        message: `${pointer} is ${JSON.stringify(key)}; expected the name of a field (${schema.fields.map((f) => f.name).join(', ')})`,
      };
    }
  }
  const missingValues = schema.missingValues ?? DEFAULT_MISSING_VALUES;
  for (const [index, field] of schema.fields.entries()) {
    try {
      compileField(field, missingValues);
    } catch (error) {
      if (!(error instanceof FieldDefinitionError)) throw error;
      const pointer = `/fields/${index}${error.path}`;
      return { pointer, message: `${pointer} is ${describeValue(error.value)}; expected ${error.expected}` };
    }
  }
  return undefined;
}

function issueFromAjv(error: ErrorObject, data: unknown): DescriptorIssue {
  const pointer = error.instancePath;
  const where = pointer === '' ? 'the document' : pointer;
  const value = valueAtPointer(data, pointer);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return {
        pointer,
        message: `${where} is ${describeValue(value)}; expected one of ${(params.allowedValues as unknown[]).join(', ')}`,
      };
    case 'type': {
      const types = String(params.type).split(',');
      return { pointer, message: `${where} is ${describeValue(value)}; expected ${types.map(withArticle).join(' or ')}` };
    }
    case 'required':
      return {
        pointer,
        message: `${where} has no "${String(params.missingProperty)}"; expected ${pointer === '' ? 'a "fields" array' : `a "${String(params.missingProperty)}" property`}`,
      };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return {
        pointer: `${pointer}/${escapePointer(key)}`,
        message: `${where} has "${key}"; expected only the constraints ${CONSTRAINT_NAMES.join(', ')}`,
      };
    }
    case 'minimum':
      return { pointer, message: `${where} is ${describeValue(value)}; expected a number >= ${String(params.limit)}` };
    case 'minLength':
      return { pointer, message: `${where} is ${describeValue(value)}; expected a non-empty string` };
    case 'minItems':
      return { pointer, message: `${where} is ${describeValue(value)}; expected at least ${String(params.limit)} item(s)` };
    default:
      return { pointer, message: `${where} is ${describeValue(value)}; expected it to ${error.message ?? 'be valid'}` };
  }
}

function withArticle(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAtPointer(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const segment of pointerSegments(pointer)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
