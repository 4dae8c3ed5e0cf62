// Flagger's load tester, in-process: requests from a JSONL file sent to the endpoint at a fixed rate
// while the analysis runs, in a loop, for canaries that get no traffic of their own. Bounded in count
// (max requests), in time (until stopped) and in concurrency; every request has a timeout and its own
// connection, so a proxy that routes connections by weight (the process target) splits them as it should.
import { InputError } from '../errors.js';

export interface LoadRequest {
  path: string;
  body: string;
  line: number;
}

export interface LoadTestStats {
  sent: number;
  answered: number;
  /** By status code; `network` for requests that got no answer. */
  statuses: Record<string, number>;
}

/** Parses the load-test file: one request per line (OIP body, /invocations body, or {"path", "request"}). */
export function parseLoadTest(text: string, file: string, servedName: string): LoadRequest[] {
  const requests: LoadRequest[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(`input 'load-test': line ${i + 1} is not JSON: ${(error as Error).message}`, { file, line: i + 1 });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new InputError(`input 'load-test': line ${i + 1} is not a JSON object`, { file, line: i + 1 });
    const object = value as Record<string, unknown>;
    if (typeof object.path === 'string' && 'request' in object) {
      if (!object.path.startsWith('/'))
        throw new InputError(`input 'load-test': line ${i + 1}: path "${object.path}" must start with /`, { file, line: i + 1 });
      requests.push({
        path: object.path.replace('{name}', encodeURIComponent(servedName)),
        body: JSON.stringify(object.request),
        line: i + 1,
      });
      return;
    }
    const oip = Array.isArray(object.inputs) && object.inputs.every((t) => typeof t === 'object' && t !== null && 'datatype' in t);
    requests.push({ path: oip ? `/v2/models/${encodeURIComponent(servedName)}/infer` : '/invocations', body: line, line: i + 1 });
  });
  if (requests.length === 0) throw new InputError(`input 'load-test': ${file} holds no requests`, { file });
  return requests;
}

/** A running load test: `stop()` ends it (requests in flight finish or time out) and says what was sent. */
export interface LoadTest {
  stop(): Promise<LoadTestStats>;
}

const MAX_IN_FLIGHT = 16;

export function startLoadTest(
  endpoint: string,
  requests: LoadRequest[],
  options: { rate: number; maxRequests: number; timeoutMs: number },
): LoadTest {
  const stats: LoadTestStats = { sent: 0, answered: 0, statuses: {} };
  const base = endpoint.replace(/\/+$/, '');
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const started = Date.now();
  const count = (key: string): void => {
    stats.statuses[key] = (stats.statuses[key] ?? 0) + 1;
  };
  const send = async (request: LoadRequest): Promise<void> => {
    try {
      const response = await fetch(`${base}${request.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.arrayBuffer();
      stats.answered++;
      count(String(response.status));
    } catch {
      count('network');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    if (stopped) return;
    // Requests due by now at this rate, capped by concurrency and the total bound.
    const due = Math.floor(((Date.now() - started) / 1000) * options.rate) + 1;
    while (stats.sent < due && stats.sent < options.maxRequests && inFlight.size < MAX_IN_FLIGHT) {
      const request = requests[stats.sent % requests.length]!;
      stats.sent++;
      const pending = send(request).finally(() => inFlight.delete(pending));
      inFlight.add(pending);
    }
    if (stats.sent >= options.maxRequests) return;
    timer = setTimeout(tick, Math.max(5, Math.min(1000, 1000 / options.rate)));
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inFlight]);
      return stats;
    },
  };
}
