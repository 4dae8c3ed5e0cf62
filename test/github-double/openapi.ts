import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';

/** JSON value as read from the OpenAPI description. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One parameter of an operation, $refs resolved. */
export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonObject;
}

/** One operation of GitHub's REST API, as the OpenAPI description declares it. */
export interface Operation {
  method: string;
  template: string;
  operationId: string;
  documentationUrl: string;
  parameters: OperationParameter[];
  requestBody?: { required: boolean; schema: JsonObject };
  /** Response schema (JSON) by status code, `undefined` for responses without a JSON body. */
  responses: Map<string, JsonObject | undefined>;
}

/** The operation a request resolved to, with its decoded path parameters (still strings). */
export interface ResolvedRoute {
  operation: Operation | undefined;
  template: string;
  /** Methods the matched path template declares, when `operation` is undefined. */
  methods: string[];
  pathParams: Record<string, string>;
}

interface PathEntry {
  template: string;
  segments: string[];
  /** For each segment, the parameter name, or undefined for a literal. */
  params: (string | undefined)[];
  item: JsonObject;
}

const SCHEMA_ROOT_ID = 'https://api.github.com/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ANNOTATIONS = new Set(['description', 'example', 'examples', 'externalDocs', 'xml', 'discriminator', 'title']);

/**
 * Rewrites an OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` becomes a `null` type,
 * `$ref`s to components point into the one schema ajv holds, annotations are dropped. Walks
 * only schema positions, so properties named `description` or `example` survive.
 */
export function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = value.startsWith('#') ? SCHEMA_ROOT_ID + value : value;
    else if ((key === 'properties' || key === 'patternProperties') && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]));
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) out[key] = value.map(toJsonSchema);
    else if ((key === 'items' || key === 'not' || key === 'additionalProperties') && typeof value === 'object')
      out[key] = toJsonSchema(value);
    else out[key] = value;
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type === 'string' && out.$ref === undefined) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * GitHub's REST API description (npm `@octokit/openapi`), indexed by method and path template,
 * with ajv validators compiled on first use.
 */
export class GitHubOpenApi {
  private readonly ajv: Ajv;
  private readonly bySegmentCount = new Map<number, PathEntry[]>();
  private readonly operations = new Map<string, Operation>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: JsonObject) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false });
    for (const name of ['date-time', 'date', 'uri', 'email']) this.ajv.addFormat(name, formatCheck(name));
    for (const name of ['int64', 'int32', 'double', 'timestamp']) this.ajv.addFormat(name, { type: 'number', validate: () => true });
    for (const name of ['binary', 'uri-template', 'repo.nwo']) this.ajv.addFormat(name, true);
    const components = document.components as JsonObject;
    this.ajv.addSchema({
      $id: SCHEMA_ROOT_ID,
      components: { schemas: mapValues(components.schemas as JsonObject, toJsonSchema) },
    } as object);
    for (const [template, item] of Object.entries(document.paths as JsonObject)) {
      const segments = template.split('/').slice(1);
      const entry: PathEntry = {
        template,
        segments,
        params: segments.map((segment) => /^\{([^}]+)\}$/.exec(segment)?.[1]),
        item: item as JsonObject,
      };
      const list = this.bySegmentCount.get(segments.length) ?? [];
      list.push(entry);
      this.bySegmentCount.set(segments.length, list);
    }
  }

  /** Matches a concrete path: literal segments win over parameters, left to right, as GitHub's router does. */
  resolve(method: string, pathname: string): ResolvedRoute | undefined {
    const segments = pathname.split('/').slice(1);
    const candidates = (this.bySegmentCount.get(segments.length) ?? []).filter((entry) =>
      entry.segments.every((segment, i) => entry.params[i] !== undefined || segment === segments[i]),
    );
    if (candidates.length === 0) return undefined;
    candidates.sort((a, b) => {
      for (let i = 0; i < a.params.length; i++) {
        const diff = Number(a.params[i] !== undefined) - Number(b.params[i] !== undefined);
        if (diff !== 0) return diff;
      }
      return 0;
    });
    const entry = candidates[0]!;
    const pathParams: Record<string, string> = {};
    entry.params.forEach((name, i) => {
      if (name !== undefined) pathParams[name] = decodeURIComponent(segments[i]!);
    });
    const lower = method.toLowerCase();
    const methods = METHODS.filter((m) => entry.item[m] !== undefined).map((m) => m.toUpperCase());
    const operation = entry.item[lower] ? this.operation(entry, lower) : undefined;
    return { operation, template: entry.template, methods, pathParams };
  }

  /** A deep copy of an example from `components.examples` (GitHub's own sample responses). */
  example(name: string): JsonObject {
    const examples = (this.document.components as JsonObject).examples as JsonObject;
    return structuredClone((examples[name] as JsonObject).value as JsonObject);
  }

  /** Validates a value against a schema of the description; returns readable errors, empty when valid. */
  check(schema: JsonObject, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, validate);
    }
    return validate(value) ? [] : formatErrors(validate.errors);
  }

  private operation(entry: PathEntry, method: string): Operation {
    const id = `${method} ${entry.template}`;
    const cached = this.operations.get(id);
    if (cached) return cached;
    const raw = entry.item[method] as JsonObject;
    const parameters = [...((entry.item.parameters as Json[]) ?? []), ...((raw.parameters as Json[]) ?? [])].map((p) => {
      const param = this.deref(p);
      return {
        name: param.name as string,
        in: param.in as OperationParameter['in'],
        required: param.required === true,
        schema: (param.schema as JsonObject) ?? {},
      };
    });
    let requestBody: Operation['requestBody'];
    if (raw.requestBody) {
      const body = this.deref(raw.requestBody);
      const content = body.content as JsonObject | undefined;
      const json = content?.['application/json'] as JsonObject | undefined;
      if (json?.schema) requestBody = { required: body.required === true, schema: json.schema as JsonObject };
    }
    const responses = new Map<string, JsonObject | undefined>();
    for (const [status, response] of Object.entries((raw.responses as JsonObject) ?? {})) {
      const content = this.deref(response).content as JsonObject | undefined;
      const json = content?.['application/json'] as JsonObject | undefined;
      responses.set(status, json?.schema as JsonObject | undefined);
    }
    const operation: Operation = {
      method: method.toUpperCase(),
      template: entry.template,
      operationId: raw.operationId as string,
      documentationUrl: ((raw.externalDocs as JsonObject | undefined)?.url as string) ?? 'https://docs.github.com/rest',
      parameters,
      requestBody,
      responses,
    };
    this.operations.set(id, operation);
    return operation;
  }

  /** Follows a `#/components/...` $ref of a parameter, request body or response object. */
  private deref(node: Json): JsonObject {
    let current = node as JsonObject;
    while (typeof current.$ref === 'string') {
      const path = current.$ref.replace(/^#\//, '').split('/');
      current = path.reduce<Json>((acc, part) => (acc as JsonObject)[part]!, this.document) as JsonObject;
    }
    return current;
  }
}

let shared: GitHubOpenApi | undefined;

/** The description from the installed `@octokit/openapi`, loaded once per process (13 MB of JSON). */
export function loadGitHubOpenApi(): GitHubOpenApi {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    shared = new GitHubOpenApi(JSON.parse(readFileSync(file, 'utf8')) as JsonObject);
  }
  return shared;
}

function mapValues(object: JsonObject, map: (value: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));
}

function formatCheck(name: string): (value: string) => boolean {
  switch (name) {
    case 'date-time':
      return (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
    case 'date':
      return (value) => /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'uri':
      return (value) => URL.canParse(value);
    default:
      return (value) => /^[^\s@]+@[^\s@]+$/.test(value);
  }
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (error) =>
      `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${
        error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : ''
      }`,
  );
}
