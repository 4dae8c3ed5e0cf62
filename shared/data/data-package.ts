// Data Packages (data-package.mdx, data-resource.mdx): a descriptor naming tabular resources, each with its own
// schema and dialect. Loading checks the descriptor against the official profile, applies security.mdx to every
// path (no URL, no absolute path, nothing leaving the descriptor's folder, symlinks included) and gives each
// tabular resource its files, schema, dialect and foreign keys. Problems with one resource's location refuse that
// resource (a violation at the descriptor's line) and the rest is still validated; a descriptor that breaks the
// profile or names what does not exist fails the step.
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { pointerSegments, YamlDocument } from '../schemas/yaml-document.js';
import { foreignKeyIssue, type ForeignKey, normalizeForeignKeys } from './foreign-keys.js';
import { checkAgainstProfile, descriptorVersion, describeValue } from './frictionless-profiles.js';
import { type DataFormat, type DataSource, formatOf, isTableFile } from './sources.js';
import { joinHeaderRows, scanDelimitedText } from './read-table.js';
import { csvDialectOf, type CsvDialect, defaultDialect, dialectIssue, type TableDialectDescriptor } from './table-dialect.js';
import { compileTableSchema } from './table-schema/field.js';
import type { TableSchema } from './table-schema/types.js';

/** Where a resource's rows come from when they are inline (`data` in the descriptor). */
export interface InlineRows {
  columns: string[];
  /** Each row's cells as text (JSON values written as JSON), null for null. */
  rows: (string | null)[][];
  /** Each row's line in the descriptor. */
  lines: (number | undefined)[];
  /** The line of the header row (or of `data`, for objects). */
  headerLine?: number;
  /** Where each row is, said in its violations when rows share a line (inline text in a JSON descriptor). */
  labels?: string[];
}

/** One resource of the package, ready to validate (or refused, with the reason). */
export interface PackageResource {
  name: string;
  /** JSON pointer of the resource in the descriptor (`/resources/2`). */
  pointer: string;
  /** Files in order (a `path` array is one table: the header is in the first file only). */
  sources: DataSource[];
  inline?: InlineRows;
  schema?: TableSchema;
  /** Where the schema came from, for messages: its file (relative to the working directory) or the descriptor. */
  schemaFile?: string;
  dialect?: CsvDialect;
  foreignKeys: ForeignKey[];
  /** `bytes` and `hash` as declared. */
  bytes?: number;
  hash?: { algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512'; hex: string };
  /** Not a table: its integrity is checked, its content is not read. */
  tabular: boolean;
  /** Why it is not read (a refused location); a violation at `refusedLine`. */
  refused?: string;
  refusedPointer?: string;
}

export interface DataPackage {
  /** The descriptor, relative to the working directory. */
  file: string;
  absolute: string;
  version: 1 | 2;
  resources: PackageResource[];
  /** The descriptor line of a JSON pointer (for annotations). */
  lineOf(pointer: string): number | undefined;
  /** Allowed but worth saying (a schema repeating a field name), with the file and line. */
  warnings: { message: string; file: string; line?: number }[];
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;
const HASH = /^(?:(md5|sha1|sha256|sha512):)?([0-9a-f]+)$/i;
const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;

/** Why a path from the descriptor is refused (security.mdx), or undefined when it is a plain relative path. */
export function unsafePathReason(path: string): string | undefined {
  if (URL_LIKE.test(path) && !/^[a-z]:[\\/]/i.test(path))
    return `${JSON.stringify(path)} is a URL; validate-data reads only files inside the package's folder (security.mdx). Download it in an earlier step and name the downloaded file instead`;
  if (isAbsolute(path) || path.startsWith('~') || /^[a-z]:[\\/]/i.test(path) || path.startsWith('\\'))
    return `${JSON.stringify(path)} is an absolute path; resource paths must be relative to the descriptor's folder (security.mdx: absolute paths "would open data exfiltration attacks")`;
  if (path.split(/[\\/]/).includes('..'))
    return `${JSON.stringify(path)} goes up with ".."; resource paths must stay inside the descriptor's folder (security.mdx)`;
  return undefined;
}

/** The real path of `absolute` when it stays inside `root` (symlinks resolved), else the reason it is refused. */
async function insideFolder(absolute: string, root: string, shown: string): Promise<{ real?: string; refused?: string }> {
  const real = await realpath(absolute).catch(() => undefined);
  if (real === undefined) return {};
  const realRoot = await realpath(root);
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    return {
      refused: `${JSON.stringify(shown)} leads outside the descriptor's folder through a symbolic link (to ${real}); security.mdx refuses it`,
    };
  return { real };
}

function packageError(file: string, doc: YamlDocument, pointer: string, message: string): InputError {
  const line = doc.lineOf(pointerSegments(pointer), { key: true });
  return new InputError(`${file}: ${message}`, line ? { file, line } : { file });
}

/** Reads and checks a descriptor file (JSON or YAML): its data and positions. */
export async function readDescriptor(absolute: string, file: string, what: string): Promise<{ data: unknown; doc: YamlDocument }> {
  const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: cannot read the ${what}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`, {
      file,
    });
  });
  const doc = YamlDocument.parse(text);
  const syntax = doc.syntaxError;
  if (syntax)
    throw new InputError(`${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'} at line ${syntax.line}: ${syntax.reason}`, {
      file,
      line: syntax.line,
      column: syntax.column,
    });
  const data = doc.data(file, { file });
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InputError(`${file}: the ${what} is ${describeValue(data)}; expected an object`, { file, line: 1 });
  return { data, doc };
}

/**
 * Checks a Table Dialect descriptor against the profile and the scanners' needs; returns the reading settings.
 * `fail(pointer, message)` builds the error at the descriptor's line.
 */
export async function checkDialect(
  data: unknown,
  tab: boolean,
  fail: (pointer: string, message: string) => InputError,
): Promise<CsvDialect> {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw fail('', `the dialect is ${describeValue(data)}; expected an object`);
  const problem = (await checkAgainstProfile('tabledialect', data)) ?? dialectIssue(data as TableDialectDescriptor);
  if (problem) throw fail(problem.pointer, problem.message);
  return csvDialectOf(data as TableDialectDescriptor, tab);
}

/** Checks a Table Schema descriptor (object) with the schema reader's own rules; returns it. */
async function checkSchema(data: unknown, fail: (pointer: string, message: string) => InputError): Promise<TableSchema> {
  const { tableSchemaIssue } = await import('./table-schema/descriptor.js');
  const issue = tableSchemaIssue(data);
  if (issue) throw fail(issue.pointer, issue.message);
  try {
    compileTableSchema(data as TableSchema);
  } catch (error) {
    if (error instanceof InputError) throw fail('', error.message);
    throw error;
  }
  return data as TableSchema;
}

function isTabular(resource: Record<string, unknown>, paths: string[]): boolean {
  if (resource.type === 'table' || resource.schema !== undefined || resource.dialect !== undefined) return true;
  // Backward compatibility (data-resource.mdx): profile `tabular-data-resource` means type `table`.
  if (typeof resource.profile === 'string' && /tabular-data-resource/.test(resource.profile)) return true;
  if (Array.isArray(resource.data)) return true;
  // Inline JSON text (format json) holding an array is tabular data written as a string.
  if (typeof resource.data === 'string' && isJsonDeclared(resource) && /^\s*\[/.test(resource.data)) return true;
  if (typeof resource.format === 'string' && ['csv', 'tsv', 'jsonl', 'ndjson', 'parquet'].includes(resource.format.toLowerCase()))
    return true;
  return paths.length > 0 && paths.every(isTableFile);
}

/**
 * Loads a Data Package descriptor (`file` relative to `cwd`): checks it against the official profile (v1 or
 * v2 by its `$schema`/`profile`), refuses unsafe locations per resource, and resolves schemas, dialects and
 * foreign keys. Throws InputError at the descriptor's line (or the schema's or dialect's file) for a
 * descriptor that breaks the profile or refers to something that is not there.
 */
export async function loadDataPackage(file: string, cwd: string): Promise<DataPackage> {
  const absolute = resolve(cwd, file);
  const { data, doc } = await readDescriptor(absolute, file, 'Data Package descriptor');
  const root = dirname(absolute);
  const descriptor = data as Record<string, unknown>;
  const fail = (pointer: string, message: string) => packageError(file, doc, pointer, message);
  const version = descriptorVersion(descriptor);
  const resourcesValue = descriptor.resources;
  const raw = Array.isArray(resourcesValue) ? (resourcesValue as unknown[]) : [];

  // Locations first: a refused one is reported by name, and the profile is checked with it set aside
  // (the profile's path pattern would refuse it too, in words the user cannot act on).
  const refusals = new Map<number, { pointer: string; reason: string }>();
  const forProfile = { ...descriptor, resources: raw.map((r) => r) };
  for (const [index, value] of raw.entries()) {
    if (typeof value !== 'object' || value === null) continue;
    const resource = value as Record<string, unknown>;
    // Backward compatibility (v0): `url` stands for `path`.
    const pathKey = resource.path === undefined && resource.url !== undefined ? 'url' : 'path';
    const path = resource[pathKey];
    const paths = typeof path === 'string' ? [path] : Array.isArray(path) ? path.filter((p): p is string => typeof p === 'string') : [];
    for (const [k, p] of paths.entries()) {
      const reason = unsafePathReason(p);
      if (reason) {
        refusals.set(index, { pointer: `/resources/${index}/${pathKey}${typeof path === 'string' ? '' : `/${k}`}`, reason });
        break;
      }
    }
    for (const key of ['schema', 'dialect'] as const) {
      if (typeof resource[key] === 'string' && !refusals.has(index)) {
        const reason = unsafePathReason(resource[key]);
        if (reason) refusals.set(index, { pointer: `/resources/${index}/${key}`, reason: `its ${key} ${reason}` });
      }
    }
    if (refusals.has(index))
      forProfile.resources[index] = { ...resource, path: 'refused.csv', schema: undefined, dialect: undefined, url: undefined };
    else if (pathKey === 'url') forProfile.resources[index] = { ...resource, path: resource.url, url: undefined };
    // data-resource.mdx: a dialect is "an object or URL-or-Path", but the v2 profile types it object only; a path's
    // file is checked against the Table Dialect profile when it is read.
    if (typeof resource.dialect === 'string' && !refusals.has(index))
      forProfile.resources[index] = { ...(forProfile.resources[index] as object), dialect: {} };
  }
  const cleaned = JSON.parse(JSON.stringify(forProfile)) as unknown;
  const problem = await checkAgainstProfile('datapackage', cleaned, version);
  if (problem) {
    // Point at the resource's own property when one resource breaks the profile.
    for (const [index, resource] of (cleaned as { resources: unknown[] }).resources.entries()) {
      const own = await checkAgainstProfile('dataresource', resource, version);
      if (own) throw fail(`/resources/${index}${own.pointer}`, `/resources/${index}${own.message.replace(/^the descriptor/, '')}`);
    }
    throw fail(problem.pointer, problem.message);
  }

  const names = new Map<string, number>();
  for (const [index, value] of raw.entries()) {
    const name = (value as { name: string }).name;
    if (names.has(name))
      throw fail(
        `/resources/${index}/name`,
        `/resources/${index}/name is ${JSON.stringify(name)}, the same as /resources/${names.get(name)}/name; expected names unique in the package (data-resource.mdx)`,
      );
    names.set(name, index);
  }

  const resources: PackageResource[] = [];
  const warnings: DataPackage['warnings'] = [];
  for (const [index, value] of raw.entries()) {
    const resource = value as Record<string, unknown>;
    const pointer = `/resources/${index}`;
    const name = resource.name as string;
    const path = resource.path ?? resource.url;
    const paths = typeof path === 'string' ? [path] : Array.isArray(path) ? (path as string[]) : [];
    const entry: PackageResource = { name, pointer, sources: [], foreignKeys: [], tabular: isTabular(resource, paths) };
    const refusal = refusals.get(index);
    if (refusal) {
      resources.push({ ...entry, refused: refusal.reason, refusedPointer: refusal.pointer });
      continue;
    }
    // data-resource.mdx recommends UTF-8; another encoding would be read wrongly, so it is refused, not guessed.
    if (entry.tabular && typeof resource.encoding === 'string' && !/^(utf-?8|us-ascii|ascii)$/i.test(resource.encoding)) {
      resources.push({
        ...entry,
        refused: `its encoding is ${JSON.stringify(resource.encoding)}; validate-data reads UTF-8 text only: convert the file (e.g. iconv -f ${resource.encoding} -t UTF-8) in an earlier step`,
        refusedPointer: `${pointer}/encoding`,
      });
      continue;
    }
    if (typeof resource.bytes === 'number') entry.bytes = resource.bytes;
    if (typeof resource.hash === 'string') {
      const match = HASH.exec(resource.hash);
      const algorithm = (match?.[1]?.toLowerCase() ?? 'md5') as keyof typeof HEX_LENGTH;
      if (!match || match[2]!.length !== HEX_LENGTH[algorithm])
        throw fail(
          `${pointer}/hash`,
          `${pointer}/hash is ${JSON.stringify(resource.hash)}; expected ${match ? `${HEX_LENGTH[algorithm]} hex digits for ${algorithm}` : 'a hex digest, MD5 by default or prefixed md5:, sha1:, sha256: or sha512:'}`,
        );
      entry.hash = { algorithm, hex: match[2]!.toLowerCase() };
    }

    // Files, each inside the descriptor's folder.
    const format = typeof resource.format === 'string' ? resource.format.toLowerCase() : undefined;
    for (const [k, p] of paths.entries()) {
      const at = typeof path === 'string' ? `${pointer}/path` : `${pointer}/path/${k}`;
      const target = resolve(root, p);
      const inside = await insideFolder(target, root, p);
      if (inside.refused) {
        entry.refused = inside.refused;
        entry.refusedPointer = at;
        break;
      }
      const info = await stat(target).catch(() => undefined);
      if (!info?.isFile()) {
        entry.refused = `${JSON.stringify(p)} ${info ? 'is not a file' : 'does not exist'} (looked in ${relative(cwd, root) || '.'})`;
        entry.refusedPointer = at;
        break;
      }
      if (!entry.tabular) continue;
      let detected: { format: DataFormat; gzip: boolean };
      try {
        detected =
          format && ['csv', 'tsv', 'jsonl', 'ndjson', 'parquet'].includes(format) && !isTableFile(p)
            ? { format: (format === 'ndjson' ? 'jsonl' : format) as DataFormat, gzip: false }
            : formatOf(p, 'data');
      } catch {
        throw fail(
          at,
          `${at} is ${JSON.stringify(p)}; expected a .csv, .tsv, .jsonl, .ndjson or .parquet file (or a "format" saying which), since the resource is tabular`,
        );
      }
      const shown = relative(cwd, target);
      entry.sources.push({ path: shown, absolute: target, ...detected, size: info.size });
    }
    if (entry.refused) {
      resources.push(entry);
      continue;
    }

    if (entry.tabular) {
      // Problems inside an inline schema or dialect point into the package descriptor; in a file, into that file.
      const nestedFail = (base: string, sub: YamlDocument | undefined, subFile: string | undefined) => (p: string, message: string) =>
        sub && subFile
          ? packageError(subFile, sub, p, message)
          : fail(`${base}${p}`, p !== '' && message.startsWith(p) ? `${base}${message}` : `${base}: ${message}`);
      // Schema and dialect: inline objects, or paths relative to the descriptor (the same rules as data paths).
      for (const key of ['schema', 'dialect'] as const) {
        const value = resource[key];
        if (value === undefined) continue;
        let descriptorData: unknown = value;
        let sub: YamlDocument | undefined;
        let subFile: string | undefined;
        if (typeof value === 'string') {
          const target = resolve(root, value);
          const inside = await insideFolder(target, root, value);
          if (inside.refused) {
            entry.refused = `its ${key} ${inside.refused}`;
            entry.refusedPointer = `${pointer}/${key}`;
            break;
          }
          subFile = relative(cwd, target);
          ({ data: descriptorData, doc: sub } = await readDescriptor(target, subFile, key === 'schema' ? 'Table Schema' : 'Table Dialect'));
        }
        const failAt = nestedFail(`${pointer}/${key}`, sub, subFile);
        if (key === 'schema') {
          entry.schema = await checkSchema(descriptorData, failAt);
          entry.schemaFile = subFile ?? file;
          const { duplicateNameWarnings } = await import('./table-schema/descriptor.js');
          for (const warning of duplicateNameWarnings(entry.schema)) {
            const at = sub ? warning.pointer : `${pointer}/schema${warning.pointer}`;
            const line = (sub ?? doc).lineOf(pointerSegments(at), { key: true });
            warnings.push({ message: `resource ${name}: ${warning.message}`, file: subFile ?? file, ...(line ? { line } : {}) });
          }
        } else {
          // Inline text says its format in the descriptor (format or mediatype), files by their names.
          const textFormat = TEXT_FORMATS[String(resource.format ?? resource.mediatype ?? '').toLowerCase()];
          entry.dialect = await checkDialect(descriptorData, (entry.sources[0]?.format ?? textFormat) === 'tsv', failAt);
          for (const source of entry.sources) if (source.format === 'csv' || source.format === 'tsv') source.dialect = entry.dialect;
        }
      }
      if (entry.refused) {
        resources.push(entry);
        continue;
      }
      if (resource.data !== undefined) {
        const structured = structuredDialectOf(resource.dialect, entry.dialect);
        const at = `${pointer}/data`;
        if (typeof resource.data === 'string') {
          const textFormat = declaredTextFormat(resource, at, fail);
          entry.inline =
            textFormat === 'json'
              ? inlineJsonText(resource.data, entry.schema, structured, at, doc, fail)
              : inlineText(resource, entry, textFormat, at, doc, fail);
        } else {
          const lineAt = (segments: string[]) => doc.lineOf([...pointerSegments(at), ...segments]);
          entry.inline = inlineRows(resource.data, entry.schema, structured, at, lineAt, fail);
        }
        entry.inline = labelSharedLines(entry.inline);
      }
      entry.foreignKeys = normalizeForeignKeys(entry.schema?.foreignKeys);
    }
    resources.push(entry);
  }

  // Foreign keys name resources and fields that exist.
  const byName = new Map(resources.map((r) => [r.name, r]));
  for (const resource of resources) {
    if (!resource.schema) continue;
    const own = resource.schema.fields.map((f) => f.name);
    for (const fk of resource.foreignKeys) {
      const base = resource.schemaFile === file ? `${resource.pointer}/schema/foreignKeys/${fk.index}` : `/foreignKeys/${fk.index}`;
      const issue = foreignKeyIssue(
        fk,
        own,
        (name) => {
          const target = byName.get(name);
          if (!target) return undefined;
          return target.schema?.fields.map((f) => f.name) ?? target.inline?.columns ?? [];
        },
        base,
      );
      if (issue) {
        if (resource.schemaFile === file) throw fail(issue.pointer, issue.message);
        throw new InputError(`${resource.schemaFile}: ${issue.message}`, { file: resource.schemaFile });
      }
    }
  }
  return { file, absolute, version, resources, lineOf: (pointer) => doc.lineOf(pointerSegments(pointer), { key: true }), warnings };
}

const TEXT_FORMATS: Record<string, 'csv' | 'tsv' | 'json'> = {
  csv: 'csv',
  tsv: 'tsv',
  json: 'json',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
};

function declaredFormat(resource: Record<string, unknown>): string | undefined {
  return typeof resource.format === 'string' ? resource.format : typeof resource.mediatype === 'string' ? resource.mediatype : undefined;
}

function isJsonDeclared(resource: Record<string, unknown>): boolean {
  return TEXT_FORMATS[declaredFormat(resource)?.toLowerCase() ?? ''] === 'json';
}

/**
 * The format of inline text (data-resource.mdx: "JSON string: in this case the format or mediatype properties MUST
 * be provided"). A Tabular Data Resource (type table) is refused: its data "MUST be an array".
 */
function declaredTextFormat(
  resource: Record<string, unknown>,
  pointer: string,
  fail: (pointer: string, message: string) => InputError,
): 'csv' | 'tsv' | 'json' {
  if (resource.type === 'table')
    throw fail(
      pointer,
      `${pointer} is text, but the resource is of type table, whose data "MUST be an array" (data-resource.mdx): write the rows as arrays, or drop type: table and keep the format`,
    );
  const declared = declaredFormat(resource);
  if (declared === undefined)
    throw fail(
      pointer,
      `${pointer} is text without a format or mediatype; data-resource.mdx: "in this case the format or mediatype properties MUST be provided" (e.g. format: csv, or format: json)`,
    );
  const format = TEXT_FORMATS[declared.toLowerCase()];
  if (format === undefined)
    throw fail(
      pointer,
      `${pointer} is text of format ${JSON.stringify(declared)}; validate-data reads inline text as csv, tsv or json (text/csv, text/tab-separated-values, application/json)`,
    );
  return format;
}

/**
 * Inline CSV or TSV text (data-resource.mdx's "inline CSV" example), read with the resource's dialect. Each row
 * is annotated at its line of the descriptor: the data's own line, or for a YAML block scalar (`data: |`) the
 * line the row is written on.
 */
function inlineText(
  resource: Record<string, unknown>,
  entry: PackageResource,
  format: 'csv' | 'tsv',
  pointer: string,
  doc: YamlDocument,
  fail: (pointer: string, message: string) => InputError,
): InlineRows {
  const dialect = entry.dialect ?? defaultDialect(format === 'tsv');
  const { records, unterminatedLine } = scanDelimitedText(resource.data as string, format, dialect);
  const segments = pointerSegments(pointer);
  const dataLine = doc.lineOf(segments);
  const block = doc.isBlockScalar(segments);
  const lineOf = (line: number): number | undefined => (dataLine === undefined ? undefined : block ? dataLine + line : dataLine);
  if (unterminatedLine !== undefined)
    throw fail(pointer, `${pointer}: a quoted field starting on line ${unterminatedLine} of the inline text is never closed`);
  const comments = new Set(dialect.commentRows);
  const rows = records.filter((_, i) => !comments.has(i + 1));
  const headerCount = dialect.header ? Math.max(...dialect.headerRows) : 0;
  if (rows.length < headerCount)
    throw fail(pointer, `${pointer}: the inline text has ${rows.length} rows, fewer than its header rows (${headerCount})`);
  const width = rows[headerCount]?.cells.length ?? rows[0]?.cells.length ?? 0;
  const columns = dialect.header
    ? joinHeaderRows(
        dialect.headerRows.map((r) => rows[r - 1]!.cells.map((c) => c ?? '')),
        dialect.headerJoin,
      )
    : Array.from({ length: width }, (_, i) => entry.schema?.fields[i]?.name ?? `field${i + 1}`);
  const body = rows.slice(headerCount);
  return {
    columns,
    rows: body.map((r) => r.cells),
    lines: body.map((r) => lineOf(r.line)),
    headerLine: headerCount > 0 ? lineOf(rows[headerCount - 1]!.line) : dataLine,
  };
}

/** The Table Dialect properties of structured data (table-dialect.mdx, "Structured"), as given. */
interface StructuredDialect {
  property?: string;
  itemType?: 'array' | 'object';
  itemKeys?: string[];
  header: boolean;
}

function structuredDialectOf(raw: unknown, dialect: CsvDialect | undefined): StructuredDialect {
  const d = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    ...(typeof d.property === 'string' ? { property: d.property } : {}),
    ...(d.itemType === 'array' || d.itemType === 'object' ? { itemType: d.itemType } : {}),
    ...(Array.isArray(d.itemKeys) ? { itemKeys: d.itemKeys as string[] } : {}),
    header: dialect?.header ?? true,
  };
}

/**
 * Inline JSON text (data-resource.mdx: "JSON string: in this case the format or mediatype properties MUST be
 * provided"; format json or mediatype application/json), parsed as JSON and then read as inline JSON data is.
 * Rows are annotated at their line in the descriptor: in a YAML block scalar (`data: |`), the line each row starts
 * on; in a JSON descriptor the text is one line, so each violation names the row too.
 */
function inlineJsonText(
  text: string,
  schema: TableSchema | undefined,
  structured: StructuredDialect,
  pointer: string,
  doc: YamlDocument,
  fail: (pointer: string, message: string) => InputError,
): InlineRows {
  const segments = pointerSegments(pointer);
  const dataLine = doc.lineOf(segments);
  const block = doc.isBlockScalar(segments);
  const descriptorLine = (line: number | undefined): number | undefined =>
    dataLine === undefined || line === undefined ? dataLine : block ? dataLine + line : dataLine;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (parseError) {
    const where = jsonErrorPosition(text);
    // V8 quotes the text in some messages; the position says more, in fewer words.
    const reason = (parseError as Error).message.replace(/,? ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    const message = `${pointer} is not valid JSON${where ? ` at line ${where.line}, column ${where.column} of the inline text` : ''}: ${reason}`;
    const error = fail(pointer, message);
    const line = descriptorLine(where?.line);
    throw line === undefined ? error : new InputError(error.message, { ...error.at, line });
  }
  // Positions of the rows inside the text: the text is JSON, so the YAML parser reads it and knows every node's line.
  const positions = YamlDocument.parse(text);
  const lineAt = (inner: string[]) => descriptorLine(positions.lineOf(inner));
  return inlineRows(value, schema, structured, pointer, lineAt, fail);
}

/**
 * The 1-based line and column where `text` stops being JSON (RFC 8259), or undefined when it is JSON: V8's
 * messages do not always say where. Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  // RFC 8259: control characters must be escaped inside strings.
  // eslint-disable-next-line no-control-regex
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const LITERAL = /true|false|null/y;
  let i = 0;
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const stack: string[] = [];
  let expect: 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'next' = 'value';
  let offset: number | undefined;
  while (offset === undefined) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    const c = text[i];
    if (expect === 'valueOrEnd' && c === ']') {
      i++;
      stack.pop();
      expect = 'next';
    } else if (expect === 'value' || expect === 'valueOrEnd') {
      if (c === '[' || c === '{') {
        stack.push(c);
        i++;
        expect = c === '[' ? 'valueOrEnd' : 'keyOrEnd';
      } else if (match(STRING) || match(NUMBER) || match(LITERAL)) expect = 'next';
      else offset = i;
    } else if (expect === 'keyOrEnd' && c === '}') {
      i++;
      stack.pop();
      expect = 'next';
    } else if (expect === 'key' || expect === 'keyOrEnd') {
      if (!match(STRING)) offset = i;
      else {
        while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
        if (text[i] === ':') {
          i++;
          expect = 'value';
        } else offset = i;
      }
    } else {
      const top = stack.at(-1);
      if (top === undefined) {
        if (i >= text.length) return undefined;
        offset = i;
      } else if (c === ',') {
        i++;
        expect = top === '[' ? 'value' : 'key';
      } else if (c === (top === '[' ? ']' : '}')) {
        i++;
        stack.pop();
      } else offset = i;
    }
  }
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: [...before.at(-1)!].length + 1 };
}

/**
 * Inline JSON data (data-resource.mdx, "Tabular"): data "MUST be an array where each item in the array MUST be
 * either" an array (the first the header, unless the dialect says `header: false`) or an object. The dialect's
 * structured properties apply (table-dialect.mdx): `property` names where the array is, `itemType` what its items
 * must be, `itemKeys` which keys of the objects are the columns, in order. `lineAt` gives the descriptor line of a
 * pointer below `pointer` (its segments).
 */
function inlineRows(
  value: unknown,
  schema: TableSchema | undefined,
  structured: StructuredDialect,
  pointer: string,
  lineAt: (segments: string[]) => number | undefined,
  fail: (pointer: string, message: string) => InputError,
): InlineRows {
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
  const base = structured.property === undefined ? [] : [structured.property];
  const here = `${pointer}${base.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
  let data: unknown = value;
  if (structured.property !== undefined) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !(structured.property in value))
      throw fail(
        pointer,
        `${pointer} is ${describeValue(value)}; the dialect's property is ${JSON.stringify(structured.property)}, so expected an object holding the rows under that key (table-dialect.mdx)`,
      );
    data = (value as Record<string, unknown>)[structured.property];
  }
  if (!Array.isArray(data))
    throw fail(
      here,
      `${here} is ${describeValue(data)}; a tabular resource's data "MUST be an array" of arrays or of objects (data-resource.mdx)${structured.property === undefined && typeof data === 'object' && data !== null ? ", or set the dialect's property to the key holding the rows (table-dialect.mdx)" : ''}`,
    );
  const rowLine = (i: number) => lineAt([...base, String(i)]);
  const lines = data.map((_, i) => rowLine(i));
  if (data.length === 0) return { columns: structured.itemKeys ?? [], rows: [], lines: [], headerLine: lineAt(base) };
  const itemType = structured.itemType ?? (Array.isArray(data[0]) ? 'array' : 'object');
  const bad = data.findIndex((row) =>
    itemType === 'array' ? !Array.isArray(row) : typeof row !== 'object' || row === null || Array.isArray(row),
  );
  if (bad !== -1)
    throw fail(
      `${here}/${bad}`,
      `${here}/${bad} is ${describeValue(data[bad])}; expected ${itemType === 'array' ? 'an array' : 'an object'}, ${structured.itemType ? `since the dialect's itemType is ${JSON.stringify(itemType)}` : `as row 0 is (every item an array, or every item an object: data-resource.mdx)`}`,
    );
  if (itemType === 'array') {
    if (structured.itemKeys !== undefined)
      throw fail(
        pointer,
        `${pointer} holds arrays, but the dialect sets itemKeys, which applies to items of type object (table-dialect.mdx); drop itemKeys or write the rows as objects`,
      );
    const rows = data as unknown[][];
    if (!structured.header) {
      const width = Math.max(...rows.map((r) => r.length));
      const columns = Array.from({ length: width }, (_, i) => schema?.fields[i]?.name ?? `field${i + 1}`);
      return { columns, rows: rows.map((row) => row.map(text)), lines, headerLine: lineAt(base) };
    }
    const header = rows[0]!;
    if (!header.every((h) => typeof h === 'string'))
      throw fail(
        `${here}/0`,
        `${here}/0 is ${describeValue(header)}; expected the header row, an array of field names (or header: false in the dialect)`,
      );
    return { columns: header as string[], rows: rows.slice(1).map((row) => row.map(text)), lines: lines.slice(1), headerLine: lines[0] };
  }
  const objects = data as Record<string, unknown>[];
  let columns = structured.itemKeys;
  if (columns === undefined) {
    const seen = new Set<string>();
    for (const row of objects) for (const key of Object.keys(row)) seen.add(key);
    columns = [...seen];
  }
  const keys = columns;
  return { columns: keys, rows: objects.map((row) => keys.map((c) => text(row[c]))), lines, headerLine: lineAt(base) };
}

/** Names each row in its violations when several rows share a descriptor line, so a reader can find it. */
function labelSharedLines(inline: InlineRows): InlineRows {
  const seen = new Set<number | undefined>();
  if (inline.lines.every((line) => !seen.has(line) && seen.add(line))) return inline;
  return { ...inline, labels: inline.rows.map((_, k) => `row ${k + 1} of the inline data`) };
}
