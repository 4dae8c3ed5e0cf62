// The ModelPack model config (application/vnd.cncf.model.config.v1+json), written from the spec's
// config.md. Closed at every level like upstream's config-schema.json, and stricter where the prose is:
// RFC 3339 times, sha256 diffIds, `<count><scale>` paramSize, ISO 639-1 languages, the precision table.
// `npm run conformance` also checks what we produce against upstream's own schema.
import { InputError } from '../errors.js';
import { schemaValidator } from './ajv.js';

export type Modality = 'text' | 'image' | 'audio' | 'video' | 'embedding' | 'other';

export interface ModelPackConfig {
  descriptor: {
    createdAt?: string;
    authors?: string[];
    vendor?: string;
    family?: string;
    name?: string;
    version?: string;
    title?: string;
    description?: string;
    docURL?: string;
    sourceURL?: string;
    datasetsURL?: string[];
    revision?: string;
    licenses?: string[];
  };
  config: {
    architecture?: string;
    format?: string;
    paramSize?: string;
    precision?: string;
    quantization?: string;
    capabilities?: {
      inputTypes?: Modality[];
      outputTypes?: Modality[];
      knowledgeCutoff?: string;
      reasoning?: boolean;
      toolUsage?: boolean;
      reward?: boolean;
      languages?: string[];
    };
  };
  modelfs: { type: 'layers'; diffIds: string[] };
}

// RFC 3339 section 5.6 date-time (Ajv's `format` needs ajv-formats; a pattern keeps strict mode happy).
const RFC3339 = '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$';
const PRECISION =
  'float32|float64|float16|bfloat16|float8_e4m3|float8_e5m2|complex32|complex64|complex128|int8|int16|int32|int64|uint8|uint16|uint32|uint64|bool';
const strings = { type: 'array', items: { type: 'string' } } as const;
const modalities = { type: 'array', items: { type: 'string', enum: ['text', 'image', 'audio', 'video', 'embedding', 'other'] } } as const;

export const modelPackConfigJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/mlops-actions/mlops-actions/schemas/modelpack-config.json',
  title: 'ModelPack model config (application/vnd.cncf.model.config.v1+json)',
  type: 'object',
  required: ['descriptor', 'config', 'modelfs'],
  additionalProperties: false,
  properties: {
    descriptor: {
      type: 'object',
      additionalProperties: false,
      properties: {
        createdAt: { type: 'string', pattern: RFC3339 },
        authors: strings,
        vendor: { type: 'string' },
        family: { type: 'string' },
        name: { type: 'string', minLength: 1 },
        version: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        docURL: { type: 'string' },
        sourceURL: { type: 'string' },
        datasetsURL: strings,
        revision: { type: 'string' },
        licenses: strings,
      },
    },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        architecture: { type: 'string' },
        format: { type: 'string', minLength: 1 },
        paramSize: { type: 'string', pattern: '^\\d+(\\.\\d)?[QqTtBbMmKk]$' },
        precision: { type: 'string', pattern: `^(${PRECISION})(,(${PRECISION}))*$` },
        quantization: { type: 'string' },
        capabilities: {
          type: 'object',
          additionalProperties: false,
          properties: {
            inputTypes: modalities,
            outputTypes: modalities,
            knowledgeCutoff: { type: 'string', pattern: RFC3339 },
            reasoning: { type: 'boolean' },
            toolUsage: { type: 'boolean' },
            reward: { type: 'boolean' },
            languages: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2}$' } },
          },
        },
      },
    },
    modelfs: {
      type: 'object',
      required: ['type', 'diffIds'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['layers'] },
        diffIds: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' } },
      },
    },
  },
} as const;

/** Throws InputError naming the first field of `config` that breaks the ModelPack config schema. */
export function assertModelPackConfig(config: unknown, what = 'the ModelPack config'): asserts config is ModelPackConfig {
  const validate = schemaValidator(modelPackConfigJsonSchema);
  if (validate(config)) return;
  const error = validate.errors?.[0];
  const where = error?.instancePath || '/';
  throw new InputError(`${what}: ${where} ${error?.message ?? 'is invalid'}`);
}
