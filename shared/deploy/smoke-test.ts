// The smoke test: a JSONL file of requests with the answers they must get, sent to a new version before
// it takes traffic. Numbers compare within an absolute tolerance (0: exactly); everything else exactly.
import { InputError } from '../errors.js';

/** One line of a smoke-test file. */
export interface SmokeCase {
  /** 1-based line in the file, for messages and annotations. */
  line: number;
  /** Where the request goes: `/invocations` (default) or an Open Inference Protocol path (`/v2/models/{name}/infer`). */
  path: string;
  request: unknown;
  /** What the answer must hold (a subset: keys not named here are not compared); undefined: only a 200 is checked. */
  expected?: unknown;
  /** Absolute tolerance for numbers (default 0). */
  tolerance: number;
}

const KNOWN_KEYS = new Set(['request', 'expected', 'tolerance', 'path', 'name']);

/**
 * Parses a smoke-test file (JSONL; blank lines and lines starting with `#` are skipped). `{name}` in a
 * path is the served model's name. Throws InputError naming the file and line of a bad case.
 */
export function parseSmokeTest(text: string, file: string): SmokeCase[] {
  const cases: SmokeCase[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const bad = (why: string): InputError => new InputError(`smoke test ${file}, line ${line}: ${why}`, { file, line });
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw bad(`not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw bad('expected an object {"request": {…}, "expected": {…}, "tolerance": 0.001}');
    const item = value as Record<string, unknown>;
    const unknown = Object.keys(item).filter((k) => !KNOWN_KEYS.has(k));
    if (unknown.length)
      throw bad(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...KNOWN_KEYS].join(', ')})`);
    if (!('request' in item)) throw bad('no "request": the body to send');
    const tolerance = item.tolerance ?? 0;
    if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0)
      throw bad(`"tolerance" is ${JSON.stringify(item.tolerance)}; expected a number ≥ 0`);
    const path = item.path ?? '/invocations';
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//'))
      throw bad(`"path" is ${JSON.stringify(item.path)}; expected a path such as /invocations or /v2/models/{name}/infer`);
    cases.push({ line, path, request: item.request, ...('expected' in item ? { expected: item.expected } : {}), tolerance });
  }
  if (cases.length === 0) throw new InputError(`smoke test ${file} has no cases: one JSON object per line`, { file });
  return cases;
}

/**
 * Where `actual` differs from `expected`, as a path and both values (undefined when it matches).
 * Objects in `expected` name the keys that must match (extra keys in `actual` are fine); arrays must
 * have the same length; numbers may differ by `tolerance`.
 */
export function firstMismatch(expected: unknown, actual: unknown, tolerance: number, at = '$'): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected) && Number.isNaN(actual)) return undefined;
    const difference = Math.abs(expected - actual);
    return difference <= tolerance || expected === actual
      ? undefined
      : `${at}: expected ${expected}, got ${actual} (off by ${difference.toPrecision(3)}, tolerance ${tolerance})`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array of ${expected.length}, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${at}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const found = firstMismatch(expected[i], actual[i], tolerance, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at}: expected an object, got ${describe(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key}: missing`;
      const found = firstMismatch(value, (actual as Record<string, unknown>)[key], tolerance, `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${at}: expected ${JSON.stringify(expected)}, got ${describe(actual)}`;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

export interface SmokeOutcome {
  passed: number;
  /** The first failing case and why, or undefined when all passed. */
  failure?: { line: number; reason: string };
}

/** Answers one request: status and parsed JSON body (undefined when the body is not JSON). */
export type RequestSender = (path: string, body: unknown) => Promise<{ status: number; json: unknown; text: string }>;

/** Runs every case against `send`; stops at the first failure. `name` fills `{name}` in paths. */
export async function runSmokeTest(cases: SmokeCase[], send: RequestSender, name: string): Promise<SmokeOutcome> {
  let passed = 0;
  for (const item of cases) {
    const path = item.path.replaceAll('{name}', encodeURIComponent(name));
    let answer: Awaited<ReturnType<RequestSender>>;
    try {
      answer = await send(path, item.request);
    } catch (error) {
      return { passed, failure: { line: item.line, reason: `POST ${path} failed: ${(error as Error).message}` } };
    }
    if (answer.status !== 200)
      return { passed, failure: { line: item.line, reason: `POST ${path} answered ${answer.status}: ${answer.text.slice(0, 200)}` } };
    if (item.expected !== undefined) {
      const mismatch = firstMismatch(item.expected, answer.json, item.tolerance);
      if (mismatch) return { passed, failure: { line: item.line, reason: mismatch } };
    }
    passed++;
  }
  return { passed };
}
