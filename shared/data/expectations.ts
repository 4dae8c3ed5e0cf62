import { InputError } from '../errors.js';
import { readFileOrInline } from '../schemas/file-or-inline.js';
import { firstSchemaError, pointerSegments, YamlDocument } from '../schemas/yaml-document.js';
import { columnLabel, type ColumnProfileJSON, type ProfileJSON } from './profile.js';
import type { ViolationLog } from './violations.js';

const range = {
  type: 'object',
  properties: { min: { type: 'number' }, max: { type: 'number' } },
  additionalProperties: false,
  minProperties: 1,
};

const columnsSchema = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      'max-null-fraction': { type: 'number', minimum: 0, maximum: 1 },
      mean: range,
      quantiles: {
        type: 'object',
        propertyNames: { enum: ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'] },
        additionalProperties: range,
      },
      distinct: range,
      'drift-threshold': { type: 'number', exclusiveMinimum: 0 },
      'drift-p-value': { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    },
    additionalProperties: false,
  },
} as const;

/** The JSON Schema of an expectations file (also shipped for editors). */
export const expectationsJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'mlops validate-data expectations',
  type: 'object',
  properties: {
    rows: range,
    columns: columnsSchema,
    // A Data Package: the rules of each resource, by its name.
    resources: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { rows: range, columns: columnsSchema }, additionalProperties: false },
    },
  },
  additionalProperties: false,
} as const;

interface Range {
  min?: number;
  max?: number;
}
export interface ColumnExpectations {
  'max-null-fraction'?: number;
  mean?: Range;
  quantiles?: Record<string, Range>;
  distinct?: Range;
  /** Overrides the PSI (numbers, dates) or Jensen–Shannon (categories) threshold of this column. */
  'drift-threshold'?: number;
  /** Overrides the p-value threshold of this column's two-sample test. */
  'drift-p-value'?: number;
}
/** The rules of one table: its row count and its columns. */
export interface TableExpectations {
  rows?: Range;
  columns?: Record<string, ColumnExpectations>;
}
export interface Expectations extends TableExpectations {
  /** A Data Package: each resource's rules, by its name (`rows` and `columns` above are then not used). */
  resources?: Record<string, TableExpectations>;
  /** Where they came from, for annotations. */
  file: string;
  /** Line of each rule, keyed by its JSON pointer. */
  lineOf: (pointer: string[]) => number | undefined;
}

/**
 * Reads expectations from a YAML file, or inline YAML when no such file exists. Throws InputError
 * naming the file and the JSON pointer of a bad rule.
 */
export async function loadExpectations(value: string, cwd: string): Promise<Expectations> {
  const { text, file: path } = await readFileOrInline(value, cwd);
  const file = path ?? "input 'expectations'";
  const doc = YamlDocument.parse(text);
  const syntaxError = doc.syntaxError;
  if (syntaxError) throw new InputError(`${file} is not valid YAML: ${syntaxError.message}`, { file: path, line: syntaxError.line });
  const data = doc.data(file, { file: path });
  if (path === undefined && (typeof data !== 'object' || data === null)) {
    throw new InputError(`Input 'expectations': ${value} is neither a file (looked in ${cwd}) nor inline YAML rules.`);
  }
  // A rule's line is the line of its key (`mean:`), not of its value, which may start lines later.
  const lineOf = (pointer: string[]): number | undefined => doc.lineOf(pointer, { key: true });
  const error = firstSchemaError(expectationsJsonSchema, data);
  if (error) {
    const pointer = error.instancePath || '/';
    const params = error.params as Record<string, unknown>;
    const detail = params.additionalProperty ? `unknown key "${String(params.additionalProperty)}"` : error.message;
    const parts = pointerSegments(error.instancePath);
    if (params.additionalProperty) parts.push(String(params.additionalProperty));
    throw new InputError(`${file}: ${pointer}: ${detail} (see the expectations format in the README).`, {
      file: path,
      line: lineOf(parts),
    });
  }
  return { ...(data as object), file, lineOf };
}

function outside(value: number | null, r: Range | undefined): boolean {
  if (!r) return false;
  if (value === null || Number.isNaN(value)) return true;
  return (r.min !== undefined && value < r.min) || (r.max !== undefined && value > r.max);
}

function bounds(r: Range): string {
  if (r.min !== undefined && r.max !== undefined) return `between ${r.min} and ${r.max}`;
  return r.min !== undefined ? `>= ${r.min}` : `<= ${r.max}`;
}

/**
 * Checks a profile against expectations; each broken rule becomes a violation pointing at the rule. A Data
 * Package's profile is checked resource by resource (`resources: {name: {rows, columns}}`); a rule for a resource
 * the package does not have is a violation, one for a resource that was refused (and so not read) is not checked.
 */
export function checkExpectations(
  expectations: Expectations,
  profile: ProfileJSON,
  log: ViolationLog,
  packageResources: string[] = [],
): void {
  if (!profile.resources) {
    checkTable(expectations, profile.rows, profile.columns, [], '', expectations, log);
    return;
  }
  for (const [name, rules] of Object.entries(expectations.resources ?? {})) {
    const table = profile.resources.find((r) => r.name === name);
    if (table) checkTable(rules, table.rows, table.columns, ['resources', name], `resource ${name}: `, expectations, log);
    else if (!packageResources.includes(name))
      log.add(
        expectations.file,
        expectations.lineOf(['resources', name]),
        'expectation',
        () => `resource ${name} is not in the Data Package (resources: ${packageResources.join(', ')})`,
      );
  }
}

function checkTable(
  rules: TableExpectations,
  rows: number,
  columns: ColumnProfileJSON[],
  base: string[],
  label: string,
  expectations: Expectations,
  log: ViolationLog,
): void {
  const file = expectations.file;
  const at = (pointer: string[]) => expectations.lineOf([...base, ...pointer]);
  if (outside(rows, rules.rows)) {
    log.add(file, at(['rows']), 'expectation', () => `${label}row count ${rows} is not ${bounds(rules.rows!)}`);
  }
  for (const [name, columnRules] of Object.entries(rules.columns ?? {})) {
    // A repeated name's rules hold for each of its columns; `name#k` names one of them.
    const matching = columns.filter((c) => c.name === name || (c.occurrence !== undefined && columnLabel(c) === name));
    if (matching.length === 0) {
      log.add(
        file,
        at(['columns', name]),
        'expectation',
        () => `${label}column ${name} is not in the data (columns: ${columns.map((c) => c.name).join(', ')})`,
        name,
      );
      continue;
    }
    for (const column of matching)
      checkColumn(column, columnRules, (pointer) => at(['columns', name, ...pointer]), `${label}column ${columnLabel(column)}`, file, log);
  }
}

function checkColumn(
  column: ColumnProfileJSON,
  rules: ColumnExpectations,
  at: (pointer: string[]) => number | undefined,
  label: string,
  file: string,
  log: ViolationLog,
): void {
  const name = column.name;
  const total = column.count + column.nulls + column.typeErrors;
  // NaN counts as missing here, as pandas counts it (an all-NaN column is all missing).
  const nullFraction = total === 0 ? 0 : (column.nulls + (column.nan ?? 0)) / total;
  if (rules['max-null-fraction'] !== undefined && nullFraction > rules['max-null-fraction']) {
    log.add(
      file,
      at(['max-null-fraction']),
      'expectation',
      () => `${label}: null fraction ${nullFraction.toFixed(4)} is above ${rules['max-null-fraction']}`,
      name,
    );
  }
  if (rules.mean && outside(column.mean, rules.mean)) {
    log.add(file, at(['mean']), 'expectation', () => `${label}: mean ${column.mean ?? 'n/a'} is not ${bounds(rules.mean!)}`, name);
  }
  for (const [q, r] of Object.entries(rules.quantiles ?? {})) {
    const value = column.quantiles?.[q] ?? null;
    if (outside(value, r))
      log.add(file, at(['quantiles', q]), 'expectation', () => `${label}: ${q} ${value ?? 'n/a'} is not ${bounds(r)}`, name);
  }
  if (rules.distinct && outside(column.distinct, rules.distinct)) {
    log.add(
      file,
      at(['distinct']),
      'expectation',
      () => `${label}: about ${column.distinct} distinct values, expected ${bounds(rules.distinct!)}`,
      name,
    );
  }
}
