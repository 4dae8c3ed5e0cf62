import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { editDistance } from '../../nearest-name.js';
import { InputError } from '../../errors.js';
import { firstSchemaError, pointerSegments, YamlDocument } from '../../schemas/yaml-document.js';
import { compileField, FieldDefinitionError } from './field.js';
// Registers the jsonSchema constraint's compiler, which checking the fields needs.
import './json-schema-constraint.js';
import { validateProfileV1, validateProfileV2 } from './profile-validators.generated.js';
import {
  PROFILE_AJV_OPTIONS,
  PROFILE_V1_URL as PROFILE_V1,
  PROFILE_V2_URL as PROFILE_V2,
  type ProfileShape,
  tableSchemaProfileV1,
  tableSchemaProfileV2,
} from './profiles.js';
import { DEFAULT_MISSING_VALUES, FIELD_TYPES, FIELDS_MATCH, LIST_ITEM_TYPES, primaryKeyFields, type TableSchema } from './types.js';

const CONSTRAINT_NAMES = [
  'required',
  'unique',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'jsonSchema',
];
/** The properties the standard defines on a schema and on a field: anything else is a custom property. */
const SCHEMA_PROPERTIES = ['$schema', 'fields', 'fieldsMatch', 'missingValues', 'primaryKey', 'uniqueKeys', 'foreignKeys'];
const FIELD_PROPERTIES = [
  'name',
  'type',
  'format',
  'title',
  'description',
  'example',
  'constraints',
  'rdfType',
  'missingValues',
  'categories',
  'categoriesOrdered',
  'trueValues',
  'falseValues',
  'decimalChar',
  'groupChar',
  'bareNumber',
  'delimiter',
  'itemType',
];

const missingValuesSchema = {
  anyOf: [
    { type: 'array', items: { type: 'string' } },
    {
      type: 'array',
      items: { type: 'object', required: ['value'], properties: { value: { type: 'string' }, label: { type: 'string' } } },
    },
  ],
};

/**
 * JSON Schema (draft-07) of a Table Schema descriptor, written from the Frictionless v2 specification (which
 * keeps v1's forms), for messages that name the property; the official profiles are checked after it.
 */
export const tableSchemaJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/mlops-actions/schemas/table-schema.json',
  title: 'Frictionless Table Schema (v2, reading v1)',
  type: 'object',
  required: ['fields'],
  properties: {
    $schema: { type: 'string' },
    fields: { type: 'array', items: { $ref: '#/definitions/field' } },
    fieldsMatch: { enum: [...FIELDS_MATCH] },
    missingValues: missingValuesSchema,
    primaryKey: { type: ['string', 'array'], items: { type: 'string' }, minItems: 1 },
    uniqueKeys: { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: { type: 'string' } } },
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
        missingValues: missingValuesSchema,
        categories: {
          type: 'array',
          minItems: 1,
          items: {
            anyOf: [
              { type: ['string', 'number'] },
              { type: 'object', required: ['value'], properties: { value: { type: ['string', 'number'] }, label: { type: 'string' } } },
            ],
          },
        },
        categoriesOrdered: { type: 'boolean' },
        trueValues: { type: 'array', items: { type: 'string' } },
        falseValues: { type: 'array', items: { type: 'string' } },
        decimalChar: { type: 'string', minLength: 1 },
        groupChar: { type: 'string', minLength: 1 },
        bareNumber: { type: 'boolean' },
        delimiter: { type: 'string', minLength: 1 },
        itemType: { enum: [...LIST_ITEM_TYPES] },
      },
    },
    constraints: {
      type: 'object',
      // "Implementations SHOULD report an error if an attempt is made to evaluate a value against an unsupported constraint."
      additionalProperties: false,
      properties: {
        required: { type: 'boolean' },
        unique: { type: 'boolean' },
        minimum: { type: ['number', 'string'] },
        maximum: { type: ['number', 'string'] },
        exclusiveMinimum: { type: ['number', 'string'] },
        exclusiveMaximum: { type: ['number', 'string'] },
        minLength: { type: 'integer', minimum: 0 },
        maxLength: { type: 'integer', minimum: 0 },
        pattern: { type: 'string' },
        enum: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } },
        jsonSchema: { type: 'object' },
      },
    },
  },
} as const;

/** Something in a descriptor that is allowed but probably not meant (a misspelt property); `line` when known. */
export interface DescriptorWarning {
  pointer: string;
  message: string;
  line?: number;
}

/** A checked Table Schema and the warnings about it. */
export interface LoadedTableSchema {
  schema: TableSchema;
  warnings: DescriptorWarning[];
}

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
  return (await loadTableSchemaWithWarnings(path)).schema;
}

/** As `loadTableSchema`, with the warnings about likely misspelt properties. */
export async function loadTableSchemaWithWarnings(path: string): Promise<LoadedTableSchema> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
    throw new InputError(`${path}: cannot read the Table Schema: ${why}`, { file: path });
  }
  return parseTableSchemaWithWarnings(text, path);
}

/**
 * Parses and checks a Table Schema held in `text` (JSON or YAML); `file` names it in messages.
 * Throws InputError as `loadTableSchema` does.
 */
export function parseTableSchema(text: string, file: string): TableSchema {
  return parseTableSchemaWithWarnings(text, file).schema;
}

/** As `parseTableSchema`, with the warnings about likely misspelt properties. */
export function parseTableSchemaWithWarnings(text: string, file: string): LoadedTableSchema {
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
  const lineOf = (pointer: string, key = false): number | undefined =>
    syntaxError === undefined ? doc.lineOf(pointerSegments(pointer), { key }) : undefined;
  const issue = findDescriptorIssue(data);
  if (issue) {
    const line = lineOf(issue.pointer);
    throw new InputError(`${file}: ${issue.message}`, line ? { file, line } : { file });
  }
  const warnings = descriptorWarnings(data as TableSchema).map((warning) => {
    const line = lineOf(warning.pointer, true);
    return line === undefined ? warning : { ...warning, line };
  });
  return { schema: data as TableSchema, warnings };
}

/**
 * Custom properties are allowed ("MAY contain any number of other properties"), but one that is a known
 * property's near miss (`primarykey`, `maxLenght` outside constraints, `missingValue`) most likely was
 * meant as it, and would then be silently ignored: each gets a warning naming the property it resembles.
 */
function descriptorWarnings(schema: TableSchema): DescriptorWarning[] {
  const warnings: DescriptorWarning[] = [];
  const check = (object: object, known: readonly string[], where: string, pointer: string): void => {
    for (const key of Object.keys(object)) {
      if (known.includes(key)) continue;
      const meant = likelyMeant(key, known);
      if (meant === undefined) continue;
      warnings.push({
        pointer: `${pointer}/${escapePointer(key)}`,
        message: `${where} has "${key}", which is not a Table Schema property and is ignored; did you mean "${meant}"?`,
      });
    }
  };
  check(schema, SCHEMA_PROPERTIES, 'the schema', '');
  for (const [index, field] of schema.fields.entries()) {
    check(field, [...FIELD_PROPERTIES, ...CONSTRAINT_NAMES], `/fields/${index} (${field.name})`, `/fields/${index}`);
  }
  warnings.push(...duplicateNameWarnings(schema));
  if (schema.$schema !== undefined && schema.$schema !== PROFILE_V1 && schema.$schema !== PROFILE_V2) {
    warnings.push({
      pointer: '/$schema',
      message: `$schema is ${JSON.stringify(schema.$schema)}, a profile this run cannot fetch; the descriptor was checked against the Table Schema v2 profile (${PROFILE_V2}) only`,
    });
  }
  return warnings;
}

/**
 * Field names "MUST be unique", yet "a data consumer MUST NOT interpret it as an invalid descriptor" when they are
 * not (v1 allowed it): each repeated name is a warning saying how it is read. Columns are matched to fields by
 * position among those of the same name (the second column named x is the second field named x), and a key
 * (primaryKey, uniqueKeys, foreignKeys) naming it means the first field of that name.
 */
export function duplicateNameWarnings(schema: TableSchema): DescriptorWarning[] {
  const first = new Map<string, number>();
  const warnings: DescriptorWarning[] = [];
  for (const [index, field] of schema.fields.entries()) {
    const earlier = first.get(field.name);
    if (earlier === undefined) {
      first.set(field.name, index);
      continue;
    }
    warnings.push({
      pointer: `/fields/${index}/name`,
      message: `/fields/${index}/name is ${JSON.stringify(field.name)}, the same as /fields/${earlier}/name: field names should be unique (table-schema.mdx); the columns named ${JSON.stringify(field.name)} are matched to these fields in order, and a key naming it means /fields/${earlier}`,
    });
  }
  return warnings;
}

/** The known property `key` most likely stands for: the same but for case, or within a small edit distance. */
function likelyMeant(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((name) => name.toLowerCase() === lower);
  if (sameCase) return sameCase;
  if (key.length < 4) return undefined;
  const limit = key.length < 8 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
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
  // Duplicate names are accepted ("a data consumer MUST NOT interpret it as an invalid descriptor"): see
  // descriptorWarnings; a key naming one means its first field.
  const seen = new Map<string, number>();
  for (const [index, field] of schema.fields.entries()) if (!seen.has(field.name)) seen.set(field.name, index);
  const fieldNames = schema.fields.map((f) => f.name).join(', ');
  const keyLists: Array<[string, string[], boolean]> = [
    ['/primaryKey', primaryKeyFields(schema), typeof schema.primaryKey === 'string'],
    ...(schema.uniqueKeys ?? []).map((key, i): [string, string[], boolean] => [`/uniqueKeys/${i}`, key, false]),
  ];
  for (const [base, keys, single] of keyLists) {
    for (const [index, key] of keys.entries()) {
      if (!seen.has(key)) {
        const pointer = single ? base : `${base}/${index}`;
        return { pointer, message: `${pointer} is ${JSON.stringify(key)}; expected the name of a field (${fieldNames})` };
      }
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
  // Last, since our own checks above name the property more precisely.
  return officialProfileIssue(schema);
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
      const meant = likelyMeant(key, CONSTRAINT_NAMES);
      return {
        pointer: `${pointer}/${escapePointer(key)}`,
        message: `${where} has "${key}"${meant ? ` (did you mean "${meant}"?)` : ''}; expected only the constraints ${CONSTRAINT_NAMES.join(', ')}`,
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

let profileAjv: Ajv | undefined;

/**
 * The first way the descriptor breaks the official profile: v2's always (it reads v1's forms too), and v1's
 * as well when `$schema` names it. The profiles' validators are generated ahead of time (npm run docs);
 * only a descriptor that fails one compiles the failing field's branch, so that the message names the
 * property rather than "must match exactly one schema in oneOf".
 */
function officialProfileIssue(schema: TableSchema): DescriptorIssue | undefined {
  const checks: Array<[ValidateFunction, object, string]> = [
    [validateProfileV2 as ValidateFunction, tableSchemaProfileV2, 'the Table Schema v2 profile'],
    ...(schema.$schema === PROFILE_V1
      ? [
          [validateProfileV1 as ValidateFunction, tableSchemaProfileV1, 'the Table Schema v1 profile ($schema)'] as [
            ValidateFunction,
            object,
            string,
          ],
        ]
      : []),
  ];
  for (const [validate, profile, label] of checks) {
    if (validate(schema as unknown)) continue;
    const error = validate.errors![0]!;
    const fieldMatch = /^\/fields\/(\d+)/.exec(error.instancePath);
    if (fieldMatch) {
      const index = Number(fieldMatch[1]);
      const field = schema.fields[index]!;
      // The profile reads a field without type through its string branch (only that branch leaves type optional).
      const branch = (profile as ProfileShape).properties.fields.items.oneOf.find((b) =>
        b.properties.type.enum.includes(field.type ?? 'string'),
      );
      if (branch) {
        profileAjv ??= new Ajv(PROFILE_AJV_OPTIONS);
        const validateField = profileAjv.compile(branch);
        if (!validateField(field as unknown)) {
          const fieldError = { ...validateField.errors![0]!, instancePath: `/fields/${index}${validateField.errors![0]!.instancePath}` };
          const issue = issueFromAjv(fieldError, schema);
          return { pointer: issue.pointer, message: `${issue.message} (${label})` };
        }
        continue;
      }
    }
    const issue = issueFromAjv(error, schema);
    return { pointer: issue.pointer, message: `${issue.message} (${label})` };
  }
  return undefined;
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
