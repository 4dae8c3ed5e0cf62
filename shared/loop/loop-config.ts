// mlops.yml: a project's whole loop in one file. One section per stage whose keys are exactly that
// stage's inputs (from its schema in shared/schemas/, through the list in shared/stages.ts), and a
// `loop` section for what belongs to the loop itself. Its JSON Schema (shared/schemas/json/mlops.json,
// written by `npm run docs`) lets editors complete it; a bad key names the file, the line and the
// nearest valid key.
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { nearestName } from '../nearest-name.js';
import type { ActionSpec, JsonSchema } from '../schemas/action-spec.js';
import { firstSchemaError, pointerSegments, YamlDocument } from '../schemas/yaml-document.js';
import { stages } from '../stages.js';

/** The events the loop knows, as GitHub names them (GITHUB_EVENT_NAME). */
export const LOOP_EVENTS = ['pull_request', 'push', 'schedule', 'workflow_dispatch'] as const;
export type LoopEvent = (typeof LOOP_EVENTS)[number];

/** What the loop itself does after the stages: move the production alias, or roll back. */
export const PROMOTE_STEP = 'promote';

/** A duration as `max-model-age` takes it: a number and a unit (m, h, d, w). */
const DURATION = /^([0-9]+(?:\.[0-9]+)?)\s*(m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The `loop` section: keys of the loop, not of any one stage. */
export const LOOP_SECTION = {
  'max-model-age': {
    description:
      'schedule: retrain when the production model was trained longer ago than this, even without drift: a number and a unit, `m`, `h`, `d` or `w` (e.g. `30d`). Without it, only drift (or a missing production model) retrains.',
    schema: { type: 'string', pattern: DURATION.source },
  },
  'production-alias': {
    description:
      'The alias that names what serves: evaluate compares against it, promotion moves it, schedule checks drift against its profile.',
    default: 'production',
    schema: { type: 'string', pattern: '^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$' },
  },
  'staging-alias': {
    description: 'The alias register gives every new version on push, schedule and workflow_dispatch, before it is promoted.',
    default: 'staging',
    schema: { type: 'string', pattern: '^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$' },
  },
  events: {
    description:
      'Which stages each event runs, to leave some out (default: pull_request validate-data, train, evaluate; push, schedule and workflow_dispatch every stage, then promote).',
    schema: {
      type: 'object',
      properties: Object.fromEntries(
        LOOP_EVENTS.map((event) => [
          event,
          { type: 'array', items: { type: 'string', enum: [...stages.map((s) => s.spec.name), PROMOTE_STEP] }, uniqueItems: true },
        ]),
      ),
      additionalProperties: false,
    },
  },
} as const satisfies Record<string, { description: string; default?: string; schema: JsonSchema }>;

export interface LoopSettings {
  maxModelAgeMs?: number;
  maxModelAge?: string;
  productionAlias: string;
  stagingAlias: string;
  events: Partial<Record<LoopEvent, string[]>>;
}

/** A parsed mlops.yml. */
export interface LoopConfig {
  /** The file as given (for messages), and the folder its relative paths start from. */
  file: string;
  /** Per stage: its inputs as the runner would pass them (strings; a list one entry per line). */
  stages: Record<string, Record<string, string>>;
  /** The stages that have a section: a stage without one is not part of this project's loop (digits-torch has no data file to validate). */
  sections: string[];
  /** The 1-based line of each stage input, for messages about its value (`train.command` → 12). */
  lines: Record<string, number>;
  loop: LoopSettings;
}

/** How an input's value may be written in mlops.yml: as the action takes it, or as YAML would say it naturally. */
function configValueSchema(input: ActionSpec['inputs'][string]): JsonSchema {
  const description = `${input.description}${input.default !== undefined && !input.default.startsWith('${{') ? ` Default: \`${input.default}\`.` : ''}`;
  // A list input (one entry per line in a workflow) is a YAML list here, or the same text.
  if (input.format === 'lines') return { description, anyOf: [input.schema, { type: 'string' }] };
  // A YAML input (drift-threshold) is a mapping here, or its text.
  if (input.format === 'yaml') return { description, anyOf: [input.schema, { type: 'string' }] };
  // Strings stay strings: a path `2024` or a tag `1.2` is written quoted, as in a workflow.
  return { description, ...input.schema };
}

/** The JSON Schema of mlops.yml, shipped for editors (`# yaml-language-server: $schema=…`) and used to check the file. */
export function loopConfigJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const { spec } of stages) {
    properties[spec.name] = {
      description: `${spec.title}: ${spec.description} Keys are the inputs of actions/${spec.name}; \`mlops run\` fills in what an earlier stage produced.`,
      type: 'object',
      properties: Object.fromEntries(Object.entries(spec.inputs).map(([name, input]) => [name, configValueSchema(input)])),
      additionalProperties: false,
    };
  }
  properties.loop = {
    description: 'Keys of the loop itself: what the events run, the aliases, when a scheduled run retrains without drift.',
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(LOOP_SECTION).map(([name, key]) => [
        name,
        { description: `${key.description}${'default' in key ? ` Default: \`${key.default}\`.` : ''}`, ...key.schema },
      ]),
    ),
    additionalProperties: false,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/mlops-actions/mlops-actions/schemas/mlops.json',
    title: 'mlops.yml: the ML loop of a project (mlops run, the root action)',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}

let compiledSchema: JsonSchema | undefined;

/** The keys a place in the file may hold: the sections at the top, a stage's inputs, the loop's keys. */
function knownKeys(path: string[]): string[] {
  if (path.length === 0) return [...stages.map((s) => s.spec.name), 'loop'];
  if (path.length === 1 && path[0] === 'loop') return Object.keys(LOOP_SECTION);
  if (path.length === 1) return Object.keys(stages.find((s) => s.spec.name === path[0])?.spec.inputs ?? {});
  if (path.length === 2 && path[0] === 'loop' && path[1] === 'events') return [...LOOP_EVENTS];
  return [];
}

/** An input's YAML value as the runner passes it: text; a list one entry per line; a mapping as flow YAML (JSON). */
function rawValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join('\n');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Milliseconds of a `max-model-age` value (`30d`). */
export function durationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new InputError(`'${text}' is not a duration: expected a number and m, h, d or w (e.g. 30d)`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/**
 * Reads mlops.yml text. Throws InputError naming the file and line: YAML that does not parse, a key no
 * stage (or the loop) has, with the nearest valid key, or a value of the wrong kind.
 */
export function parseLoopConfig(text: string, file: string): LoopConfig {
  const document = YamlDocument.parse(text);
  const syntax = document.syntaxError;
  if (syntax) throw new InputError(`${file}:${syntax.line}: ${syntax.reason}`, { file, line: syntax.line, column: syntax.column });
  const data = document.data(file, { file }) ?? {};
  compiledSchema ??= loopConfigJsonSchema();
  const error = firstSchemaError(compiledSchema, data);
  if (error) {
    const path = pointerSegments(error.instancePath);
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const line = document.lineOf([...path, key], { key: true });
      const known = knownKeys(path);
      const nearest = nearestName(key, known);
      const where = path.length ? `section ${path.join('.')}` : 'the top level';
      const hint = nearest
        ? `; did you mean '${nearest}'?`
        : known.length
          ? ` (${where} takes ${known.map((k) => `'${k}'`).join(', ')})`
          : '';
      throw new InputError(`${file}:${line ?? 1}: unknown key '${key}' in ${where}${hint}`, { file, line });
    }
    const line = document.lineOf(path, { key: true });
    // anyOf reports its last branch; the first (the input's own schema) says what was meant.
    const shown = path.length ? path.join('.') : 'the file';
    throw new InputError(`${file}:${line ?? 1}: ${shown} ${describeSchemaError(error, compiledSchema, path)}`, { file, line });
  }
  if (typeof data !== 'object' || Array.isArray(data))
    throw new InputError(`${file}: expected a mapping of stages to their inputs`, { file });

  const sections = data as Record<string, Record<string, unknown> | null>;
  const config: LoopConfig = {
    file,
    stages: {},
    sections: stages.map((s) => s.spec.name).filter((name) => name in sections),
    lines: {},
    loop: { productionAlias: LOOP_SECTION['production-alias'].default, stagingAlias: LOOP_SECTION['staging-alias'].default, events: {} },
  };
  for (const { spec } of stages) {
    const section = sections[spec.name];
    const inputs: Record<string, string> = {};
    for (const [name, value] of Object.entries(section ?? {})) {
      if (value === null || value === undefined) continue;
      inputs[name] = rawValue(value);
      config.lines[`${spec.name}.${name}`] = document.lineOf([spec.name, name], { key: true }) ?? 1;
    }
    config.stages[spec.name] = inputs;
  }
  const loop = (sections.loop ?? {}) as Record<string, unknown>;
  if (typeof loop['max-model-age'] === 'string') {
    config.loop.maxModelAge = loop['max-model-age'];
    config.loop.maxModelAgeMs = durationMs(loop['max-model-age']);
  }
  if (typeof loop['production-alias'] === 'string') config.loop.productionAlias = loop['production-alias'];
  if (typeof loop['staging-alias'] === 'string') config.loop.stagingAlias = loop['staging-alias'];
  if (config.loop.productionAlias === config.loop.stagingAlias) {
    const line = document.lineOf(['loop', 'staging-alias'], { key: true });
    throw new InputError(
      `${file}:${line ?? 1}: loop.staging-alias and loop.production-alias are both '${config.loop.stagingAlias}': they must differ`,
      {
        file,
        line,
      },
    );
  }
  config.loop.events = (loop.events ?? {}) as LoopSettings['events'];
  return config;
}

/** What a schema error says, in words: the expected kind of value, the allowed values, the pattern. */
function describeSchemaError(error: NonNullable<ReturnType<typeof firstSchemaError>>, schema: JsonSchema, path: string[]): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const kind = ({ array: 'list', object: 'mapping' } as Record<string, string>)[String(p.type)] ?? String(p.type);
      return `must be ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
    }
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return path[0] === 'loop' && path[1] === 'max-model-age'
        ? 'must be a number and a unit, m, h, d or w (e.g. 30d)'
        : `must match ${String(p.pattern)}`;
    case 'anyOf': {
      // The input's own schema is the first branch: say what it expects.
      const section = (schema.properties as Record<string, { properties?: Record<string, { anyOf?: JsonSchema[] }> }>)[path[0]!];
      const first = section?.properties?.[path[1]!]?.anyOf?.[0];
      return `must be ${first?.type === 'array' ? 'a list (or its entries one per line)' : 'a mapping (or its YAML text)'}`;
    }
    default:
      return error.message ?? error.keyword;
  }
}

/** Reads and parses an mlops.yml file; InputError when it cannot be read. */
export async function readLoopConfig(path: string, shown = path): Promise<LoopConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      `${shown} ${error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code ?? error.message})`}: mlops run reads the loop from it (--config names another file)`,
      { file: shown },
    );
  });
  return parseLoopConfig(text, shown);
}
