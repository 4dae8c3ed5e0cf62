// Preflight, after TFX's InfraValidator: before a new version takes any traffic it must load its model and
// report ready within max-loading-seconds, and answer example requests (the smoke test's requests, else
// one built from the model's own metadata, filled with the registered data profile's medians).
import type { ProfileJSON } from '../data/profile.js';
import type { SmokeCase } from './smoke-test.js';

export interface HttpAnswer {
  status: number;
  json: unknown;
  text: string;
}

/** One HTTP exchange with a candidate (no keep-alive: each request its own connection), bounded by `timeoutMs`. */
export async function httpJson(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { connection: 'close', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/**
 * Polls `GET /v2/health/ready` until it answers 200 or `timeoutMs` passes; `gone` says the candidate has
 * exited (no point waiting). Resolves undefined when ready, else why not.
 */
export async function waitForReady(
  base: string,
  timeoutMs: number,
  gone: () => Promise<boolean> = async () => false,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const answer = await httpJson(base, 'GET', '/v2/health/ready', undefined, Math.max(100, Math.min(2_000, deadline - Date.now())));
      if (answer.status === 200) return undefined;
      last = `readiness answered ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (await gone()) return `it exited before it was ready (${last})`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `not ready within ${timeoutMs / 1000} s (${last})`;
}

interface TensorSpec {
  name: string;
  datatype: string;
  shape: number[];
}

/** A representative value of a profile column: its median, else its mean, else its most frequent value. */
function typicalValue(profile: ProfileJSON | undefined, name: string): number | string | undefined {
  const column = profile?.columns.find((c) => c.name === name);
  if (!column) return undefined;
  return column.quantiles?.p50 ?? column.mean ?? column.top[0]?.value;
}

/**
 * One Open Inference Protocol request for a model, from its metadata (`GET /v2/models/{name}`): a batch
 * of one, each input filled with the profile's typical value of the column of the same name, else zeros.
 */
export function exampleFromMetadata(metadata: { inputs?: TensorSpec[] }, profile?: ProfileJSON): unknown {
  const inputs = (metadata.inputs ?? []).map((spec) => {
    const shape = spec.shape.map((d, i) => (d < 0 ? 1 : i === 0 ? 1 : d));
    if (shape.length === 0) shape.push(1);
    const size = shape.reduce((a, b) => a * b, 1);
    const typical = typicalValue(profile, spec.name);
    const value =
      spec.datatype === 'BYTES'
        ? String(typical ?? '')
        : spec.datatype === 'BOOL'
          ? false
          : typeof typical === 'number' && Number.isFinite(typical)
            ? /INT/.test(spec.datatype)
              ? Math.round(typical)
              : typical
            : 0;
    return { name: spec.name, datatype: spec.datatype, shape, data: Array(size).fill(value) };
  });
  return { inputs };
}

export interface ExampleRequest {
  path: string;
  body: unknown;
  /** Where it came from, for the log. */
  source: string;
}

/** How many example requests preflight sends. */
export const PREFLIGHT_EXAMPLES = 5;

/**
 * The example requests of preflight: the smoke test's first ones when there is a smoke test, else one
 * built from the model's metadata (and the profile), sent PREFLIGHT_EXAMPLES times.
 */
export async function exampleRequests(
  base: string,
  servedName: string,
  cases: SmokeCase[] | undefined,
  profile: ProfileJSON | undefined,
): Promise<ExampleRequest[]> {
  if (cases?.length)
    return cases.slice(0, PREFLIGHT_EXAMPLES).map((c) => ({
      path: c.path.replaceAll('{name}', encodeURIComponent(servedName)),
      body: c.request,
      source: `smoke test line ${c.line}`,
    }));
  const path = `/v2/models/${encodeURIComponent(servedName)}`;
  const metadata = await httpJson(base, 'GET', path);
  if (metadata.status !== 200) throw new Error(`GET ${path} answered ${metadata.status}: ${metadata.text.slice(0, 200)}`);
  const body = exampleFromMetadata(metadata.json as { inputs?: TensorSpec[] }, profile);
  const source = profile ? 'the model metadata, filled from the registered data profile' : 'the model metadata (zeros)';
  return Array.from({ length: PREFLIGHT_EXAMPLES }, () => ({ path: `${path}/infer`, body, source }));
}

/** Sends the example requests; resolves undefined when every one answered 200, else why not. */
export async function queryExamples(base: string, examples: ExampleRequest[]): Promise<string | undefined> {
  for (const [i, example] of examples.entries()) {
    let answer: HttpAnswer;
    try {
      answer = await httpJson(base, 'POST', example.path, example.body);
    } catch (error) {
      return `example request ${i + 1} (${example.source}) failed: ${(error as Error).message}`;
    }
    if (answer.status !== 200)
      return `example request ${i + 1} (${example.source}) to ${example.path} answered ${answer.status}: ${answer.text.slice(0, 200)}`;
  }
  return undefined;
}
