// Benchmark of `mlops serve` under load on 127.0.0.1: requests per second and p50 / p99 latency of our
// server (startModelServer from shared/serve, with Prometheus metrics, the live drift sketches against a
// data profile, and the sampled request log all on) side by side with a bare `node:http` + onnxruntime-node
// server doing nothing but inference on the same model (parse the JSON body, run the session, answer the
// logits): the floor of a Node server's overhead. Target: our throughput at least 0.8× the bare server's.
//
// Model: test/fixtures/digits-mlp-onnx (input FP32 [-1, 64], output logits FP32 [-1, 10]). Both servers
// create their onnxruntime session with onnxruntime's default options. The data profile our server compares
// live inputs with is built from the model's training data (scikit-learn's digits) with validate-data's column accumulators
// (shared/data/profile.ts), one numeric column per feature (input_0 … input_63, the names our server gives
// an unnamed matrix input). Request bodies are Open Inference Protocol requests, the same bytes to both
// sides: `--rows` rows each (default 1), taken in turn from the fixture's rows, POSTed to
// /v2/models/digits/infer. Before the load, one request per body is checked against the fixture's logits
// (exact float32) on both sides.
//
// Every round starts both servers, each in a child process of its own, and loads them in turn: `--slices`
// load slices a side (default 6), the side that goes first alternating, each from a load generator in a
// child of its own (never in a server's process or event loop) while the other server idles; a first
// slice a side warms the servers up and is not counted. A shared machine's speed changes from one run to
// the next (here, the same server's throughput moved by 1.6× between runs a minute apart): separate runs
// of each side would read that as a difference between the servers, turns of a few seconds meet both
// sides with the machine in much the same state.
// A slice: `--clients` concurrent keep-alive clients (default 16), each sending its next request as soon
// as the last one is answered, for `--warmup` seconds (default 0.5, not counted) and then `--seconds`
// (default 2): requests started in that window are counted, with their latency (request start to the
// response's last byte), non-200 answers and socket errors as errors. While our server is loaded, the
// generator also GETs /metrics every `--scrape-ms` (default 1000; 0: never), as a Prometheus would (more
// often than Prometheus' usual 15 s), so the drift gauges are computed under load. After the round the
// runner checks our /metrics counted the requests and that the request log was written on stop. A side's
// round: its slices' requests over their seconds, latency percentiles the median of its slices'. At least
// 3 rounds; medians over rounds, and the ratios of the two sides round by round and slice by slice.
// `--cpu-prof-dir DIR` starts both servers with `--cpu-prof`, writing into DIR/ours and DIR/bare (a profile per round).
//
// Our server batches requests that arrive while the model runs (its default, `maxBatchRows` 64); the bare
// server runs each request alone. `--max-batch-rows 1` measures ours without batching.
//
//   node_modules/.bin/node --experimental-transform-types bench/serve/run.ts [--repetitions 3] [--slices 6] [--clients 16] [--seconds 2] [--warmup 0.5] [--rows 1] [--scrape-ms 1000] [--max-batch-rows N]
//
// Writes bench/results/serve.json. The machine's 2 cores are shared with other work (and with the load
// generator): the load average is recorded.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, machine, median, resolveTypeScriptSources, root, round, writeResult } from '../runner-support.js';

resolveTypeScriptSources();

const FIXTURE = join(root, 'test', 'fixtures', 'digits-mlp-onnx');
const MODEL_NAME = 'digits';
const MODEL_VERSION = '1';
const INFER_PATH = `/v2/models/${MODEL_NAME}/infer`;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_LATENCIES = 2_000_000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${process.argv[at + 1]}`);
  return value;
}

function textOption(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

interface FixtureRow {
  input: number[];
  logits: number[];
}

function fixtureRows(): FixtureRow[] {
  return readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as FixtureRow);
}

/** The request bodies, the same on both sides: body k holds `rows` rows starting at fixture row k. */
function requestBodies(rows: number): { body: string; logits: number[] }[] {
  const fixture = fixtureRows();
  return fixture.map((_, k) => {
    const picked = Array.from({ length: rows }, (_, i) => fixture[(k + i) % fixture.length]!);
    const body = JSON.stringify({ inputs: [{ name: 'input', shape: [rows, 64], datatype: 'FP32', data: picked.flatMap((r) => r.input) }] });
    return { body, logits: picked.flatMap((r) => r.logits.map(Math.fround)) };
  });
}

// ---- the servers, each in a child process of its own: one JSON line on stdout once listening ----

/**
 * The data the model was trained on, scikit-learn's bundled digits (1,797 images, scaled / 16 as its trainer
 * did), from Debian's python3-sklearn: the reference profile a registered model carries, so drift is measured
 * as in production (a test below 1,000 live values, PSI above), not against a profile of 20 rows.
 */
function digitsImages(): number[][] {
  const python = process.env.MLOPS_PYTHON ?? '/usr/bin/python3';
  const script = 'import json; from sklearn.datasets import load_digits; print(json.dumps((load_digits().data / 16.0).tolist()))';
  try {
    return JSON.parse(execFileSync(python, ['-c', script], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })) as number[][];
  } catch (error) {
    throw new Error(
      `the reference profile needs scikit-learn's digits data (${python} with python3-sklearn): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Our server: startModelServer with a data profile (drift sketches), metrics and the request log. */
async function serveOurs(logDir: string, intraOpThreads: number, maxBatchRows: number): Promise<void> {
  const { startModelServer } = await import('../../shared/serve/model-server.js');
  const { ColumnAccumulator } = await import('../../shared/data/profile.js');
  const rows = digitsImages();
  const columns = Array.from({ length: 64 }, (_, c) => {
    const acc = new ColumnAccumulator(`input_${c}`, 'number', 'numeric');
    for (const row of rows) {
      const x = row[c]!;
      acc.moments!.add(x);
      acc.quantiles!.add(x);
      acc.distinct.addNumber(x);
    }
    return acc.toJSON();
  });
  const profile = {
    kind: 'mlops-data-profile' as const,
    version: 1 as const,
    rows: rows.length,
    fingerprint: "bench: scikit-learn's digits data, scaled as the model was trained (/ 16)",
    sources: [],
    columns,
  };
  const server = await startModelServer({
    modelDir: FIXTURE,
    name: MODEL_NAME,
    version: MODEL_VERSION,
    profile,
    requestLog: { dir: logDir },
    host: HOST,
    ...(intraOpThreads > 0 ? { intraOpThreads } : {}),
    ...(maxBatchRows > 0 ? { maxBatchRows } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  const cpuAtStart = process.cpuUsage();
  process.once('SIGTERM', () => {
    const { requests } = server.takeStats();
    const cpu = process.cpuUsage(cpuAtStart);
    void server.stop().then(() => {
      const files = readdirSync(logDir).filter((n) => n.endsWith('.jsonl'));
      const entries = files.reduce((sum, f) => sum + readFileSync(join(logDir, f), 'utf8').trimEnd().split('\n').length, 0);
      process.stdout.write(
        `${JSON.stringify({ stopped: true, requests, cpuSeconds: (cpu.user + cpu.system) / 1e6, requestLogFiles: files.length, requestLogEntries: entries })}\n`,
      );
      process.exit(0);
    });
  });
}

/** The floor: node:http + onnxruntime-node, parsing the OIP body minimally and answering the outputs. */
async function serveBare(intraOpThreads: number): Promise<void> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(
    join(FIXTURE, 'model.onnx'),
    intraOpThreads > 0 ? { intraOpNumThreads: intraOpThreads } : {},
  );
  let requests = 0;
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            inputs: { name: string; shape: number[]; data: number[] }[];
          };
          const input = body.inputs[0]!;
          const results = await session.run({ [input.name]: new ort.Tensor('float32', Float32Array.from(input.data), input.shape) });
          const outputs = Object.entries(results).map(([name, tensor]) => ({
            name,
            datatype: 'FP32',
            shape: tensor.dims,
            data: Array.from(tensor.data as Float32Array),
          }));
          const text = JSON.stringify({ model_name: MODEL_NAME, model_version: MODEL_VERSION, outputs });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        } catch (error) {
          const text = JSON.stringify({ error: (error as Error).message });
          res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  process.stdout.write(`${JSON.stringify({ url: `http://${HOST}:${(server.address() as AddressInfo).port}` })}\n`);
  const cpuAtStart = process.cpuUsage();
  process.once('SIGTERM', () => {
    const cpu = process.cpuUsage(cpuAtStart);
    server.close();
    server.closeAllConnections();
    void session.release().then(() => {
      process.stdout.write(`${JSON.stringify({ stopped: true, requests, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
      process.exit(0);
    });
  });
}

// ---- the load generator, in a child process of its own: one JSON line on stdout at the end ----

interface LoadConfig {
  url: string;
  clients: number;
  seconds: number;
  warmup: number;
  rows: number;
  scrapeMs: number;
}

interface LoadResult {
  requests: number;
  errors: number;
  /** Every request sent, warm-up included (for checking the server's own count). */
  sent: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  scrapes: number;
  scrapeErrors: number;
  firstError?: string;
}

async function generateLoad(config: LoadConfig): Promise<LoadResult> {
  const target = new URL(config.url);
  if (target.hostname !== HOST) throw new Error(`the load goes to ${HOST} only, not ${target.hostname}`);
  const port = Number(target.port);
  const bodies = requestBodies(config.rows).map((b) => Buffer.from(b.body));
  const agent = new Agent({ keepAlive: true, maxSockets: config.clients, maxFreeSockets: config.clients });

  const send = (method: string, path: string, body?: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: HOST,
          port,
          path,
          method,
          headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
        },
        (res) => {
          res.on('error', reject);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.resume();
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });

  const start = performance.now();
  const windowStart = start + config.warmup * 1000;
  const windowEnd = windowStart + config.seconds * 1000;
  const latencies = new Float64Array(MAX_LATENCIES);
  let requests = 0;
  let errors = 0;
  let sent = 0;
  let firstError: string | undefined;
  let next = 0;

  async function client(): Promise<void> {
    while (performance.now() < windowEnd) {
      const body = bodies[next++ % bodies.length]!;
      const began = performance.now();
      let ok = false;
      try {
        const status = await send('POST', INFER_PATH, body);
        ok = status === 200;
        if (!ok) firstError ??= `HTTP ${status}`;
      } catch (error) {
        firstError ??= (error as Error).message;
      }
      sent++;
      if (began < windowStart || began >= windowEnd) continue;
      if (!ok) errors++;
      else if (requests < MAX_LATENCIES) latencies[requests++] = performance.now() - began;
    }
  }

  let scrapes = 0;
  let scrapeErrors = 0;
  let scraping = true;
  async function scraper(): Promise<void> {
    while (scraping && config.scrapeMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, config.scrapeMs));
      if (!scraping) break;
      try {
        const status = await send('GET', '/metrics');
        if (status === 200) scrapes++;
        else scrapeErrors++;
      } catch {
        scrapeErrors++;
      }
    }
  }

  const scraperDone = scraper();
  await Promise.all(Array.from({ length: config.clients }, () => client()));
  scraping = false;
  await scraperDone;
  agent.destroy();
  const sorted = latencies.slice(0, requests).sort();
  const seconds = config.seconds;
  return {
    requests,
    errors,
    sent,
    seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    scrapes,
    scrapeErrors,
    ...(firstError ? { firstError } : {}),
  };
}

// ---- orchestration ----

const self = fileURLToPath(import.meta.url);
const children = new Set<ChildProcess>();

interface Child {
  child: ChildProcess;
  /** The next JSON line the child prints on stdout. */
  nextLine(timeoutMs: number): Promise<Record<string, unknown>>;
  stderr(): string;
}

/** Starts this file in a child process with `args` (and extra Node flags), reading its JSON lines. */
function startChild(args: string[], nodeFlags: string[] = []): Child {
  const child = spawn(process.execPath, [...process.execArgv, ...nodeFlags, self, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines: string[] = [];
  const waiting: (() => void)[] = [];
  let buffered = '';
  let errText = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, at));
      buffered = buffered.slice(at + 1);
    }
    waiting.splice(0).forEach((wake) => wake());
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (errText = (errText + text).slice(-8_000)));
  child.once('exit', () => waiting.splice(0).forEach((wake) => wake()));
  const nextLine = async (timeoutMs: number): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    while (lines.length === 0) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${args[0]} child exited with ${child.signalCode ?? child.exitCode}; its stderr ends:\n${errText}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${args[0]} child printed nothing within ${timeoutMs / 1000} s; its stderr ends:\n${errText}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return JSON.parse(lines.shift()!) as Record<string, unknown>;
  };
  return { child, nextLine, stderr: () => errText };
}

/** POSTs one body (a fresh connection) and returns the status and parsed JSON. */
function postOnce(url: string, body: string): Promise<{ status: number; json: { outputs?: { data: number[] }[] } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(INFER_PATH, url),
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(body);
  });
}

async function getText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return response.text();
}

/** The sum of a Prometheus counter's samples whose labels contain every `match`. */
function counterSum(exposition: string, name: string, match: string[]): number {
  let sum = 0;
  for (const line of exposition.split('\n'))
    if (line.startsWith(`${name}{`) && match.every((m) => line.includes(m))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

async function stopChild(server: Child): Promise<Record<string, unknown> | undefined> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  child.kill('SIGTERM');
  try {
    return await server.nextLine(STOP_TIMEOUT_MS);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    }
  }
}

type Side = 'ours' | 'bare';

interface Run extends LoadResult {
  load: number;
  /** The server process's CPU (user + system) per request it answered, from listening to stop: checks, warm-ups, scrapes and its idle time while the other side was loaded included. */
  serverCpuMicrosPerRequest: number;
  serverCounted?: number;
  /** Our server's model runs (mlops_model_runs_total): fewer than its requests when concurrent requests ran as one batch. */
  modelRuns?: number;
  requestLogEntries?: number;
  /** Each slice's requests per second, in the order they ran. */
  sliceRequestsPerSecond?: number[];
}

type RoundConfig = Omit<LoadConfig, 'url'> & { intraOpThreads: number; maxBatchRows: number; slices: number };

/** Starts a side's server in its own process and checks every request body is answered with the fixture's exact logits. */
async function startServer(side: Side, config: RoundConfig, logDir: string, cpuProfDir?: string): Promise<{ server: Child; url: string }> {
  const flags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, side)}`] : [];
  const threads = String(config.intraOpThreads);
  const server = startChild(
    side === 'ours' ? ['--serve-ours', logDir, threads, String(config.maxBatchRows)] : ['--serve-bare', threads],
    flags,
  );
  try {
    const { url } = (await server.nextLine(START_TIMEOUT_MS)) as { url: string };
    for (const { body, logits } of requestBodies(config.rows)) {
      const answer = await postOnce(url, body);
      const data = answer.json.outputs?.[0]?.data;
      if (answer.status !== 200 || !data || data.length !== logits.length || data.some((v, i) => v !== logits[i]))
        throw new Error(`${side} answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}; expected the fixture's logits`);
    }
    return { server, url };
  } catch (error) {
    server.child.kill('SIGKILL');
    throw error;
  }
}

/** A side's slices of a round as one run: their requests over their seconds; latency percentiles the slices' medians. */
function combine(slices: LoadResult[], load_: number): Run {
  const sum = (pick: (r: LoadResult) => number): number => slices.reduce((total, r) => total + pick(r), 0);
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  const firstError = slices.find((r) => r.firstError)?.firstError;
  return {
    requests,
    errors: sum((r) => r.errors),
    sent: sum((r) => r.sent),
    seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: median(slices.map((r) => r.p50Ms)),
    p90Ms: median(slices.map((r) => r.p90Ms)),
    p99Ms: median(slices.map((r) => r.p99Ms)),
    maxMs: Math.max(...slices.map((r) => r.maxMs)),
    scrapes: sum((r) => r.scrapes),
    scrapeErrors: sum((r) => r.scrapeErrors),
    ...(firstError ? { firstError } : {}),
    load: load_,
    serverCpuMicrosPerRequest: NaN,
    sliceRequestsPerSecond: slices.map((r) => round(r.requestsPerSecond, 1)),
  };
}

/** One round, as the header says: both servers up, the load moved between them slice by slice. */
async function runRound(config: RoundConfig, work: string, round_: number, cpuProfDir?: string): Promise<Record<Side, Run>> {
  const logDir = join(work, `request-log-${round_}`);
  mkdirSync(logDir, { recursive: true });
  const servers: Partial<Record<Side, { server: Child; url: string }>> = {};
  try {
    servers.ours = await startServer('ours', config, logDir, cpuProfDir);
    servers.bare = await startServer('bare', config, logDir, cpuProfDir);
    const slices: Record<Side, LoadResult[]> = { ours: [], bare: [] };
    // Slice 0 of each side warms it up (the JIT settles over the first seconds of load) and is not counted.
    for (let s = 0; s <= config.slices; s++) {
      const order: Side[] = (round_ + s) % 2 === 1 ? ['ours', 'bare'] : ['bare', 'ours'];
      for (const side of order) {
        const loader = startChild([
          '--load',
          JSON.stringify({ ...config, url: servers[side]!.url, scrapeMs: side === 'ours' ? config.scrapeMs : 0 }),
        ]);
        const result = (await loader.nextLine((config.warmup + config.seconds) * 1000 + 60_000)) as unknown as LoadResult;
        if (s > 0) slices[side].push(result);
      }
    }
    const runs: Record<Side, Run> = { ours: combine(slices.ours, load()[0]!), bare: combine(slices.bare, load()[0]!) };
    const ours = runs.ours;
    const exposition = await getText(`${servers.ours.url}/metrics`);
    ours.serverCounted = counterSum(exposition, 'mlops_requests_total', ['endpoint="infer"', 'code="200"']);
    ours.modelRuns = counterSum(exposition, 'mlops_model_runs_total', []);
    for (const name of [
      'mlops_request_duration_seconds_bucket',
      'mlops_predictions_total',
      'mlops_live_profile_rows',
      'mlops_feature_drift',
    ])
      if (!exposition.includes(`${name}{`)) throw new Error(`our /metrics has no ${name} after the load`);
    // At least the windows' requests (the warm-ups' and the checks come on top).
    if (ours.serverCounted < ours.requests)
      throw new Error(
        `our /metrics counted ${ours.serverCounted} answered infer requests; the load generator had ${ours.requests} in its windows alone`,
      );
    for (const side of ['ours', 'bare'] as const) {
      const stopped = await stopChild(servers[side]!.server);
      runs[side].serverCpuMicrosPerRequest = round((Number(stopped?.cpuSeconds) * 1e6) / Number(stopped?.requests), 1);
      if (side === 'ours') {
        ours.requestLogEntries = Number(stopped?.requestLogEntries ?? 0);
        if (!(ours.requestLogEntries > 0)) throw new Error('our request log wrote nothing on stop');
      }
    }
    return runs;
  } finally {
    for (const started of Object.values(servers))
      if (started.server.child.exitCode === null && started.server.child.signalCode === null) started.server.child.kill('SIGKILL');
  }
}

// ---- main ----

if (process.argv[2] === '--serve-ours') {
  await serveOurs(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
} else if (process.argv[2] === '--serve-bare') {
  await serveBare(Number(process.argv[3]));
} else if (process.argv[2] === '--load') {
  process.stdout.write(`${JSON.stringify(await generateLoad(JSON.parse(process.argv[3]!) as LoadConfig))}\n`);
  process.exit(0);
} else {
  const rounds = Math.max(option('--repetitions', 3), 3);
  const config = {
    clients: Math.max(1, Math.round(option('--clients', 16))),
    seconds: option('--seconds', 2),
    warmup: option('--warmup', 0.5),
    // Load slices per side and round, the sides taking turns.
    slices: Math.max(1, Math.round(option('--slices', 6))),
    rows: Math.max(1, Math.round(option('--rows', 1))),
    scrapeMs: option('--scrape-ms', 1000),
    // onnxruntime's threads per inference on both sides; 0: onnxruntime's default (one per core).
    intraOpThreads: Math.round(option('--intra-op-threads', 0)),
    // Our server's dynamic batching: rows per model run at most; 0: the server's default, 1: off.
    maxBatchRows: Math.round(option('--max-batch-rows', 0)),
  };
  if (!(config.seconds > 0) || config.seconds > 600 || config.warmup > 600)
    throw new Error('--seconds must be in (0, 600], --warmup at most 600');
  const cpuProfDir = textOption('--cpu-prof-dir');
  const work = mkdtempSync(join(tmpdir(), 'bench-serve-'));
  const cleanUp = (): void => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  try {
    const loadAtStart = load();
    console.log(
      `serve: ${rounds} rounds of ${config.slices} load slices a side, taking turns (${config.warmup} s warm-up + ${config.seconds} s each), ${config.clients} keep-alive clients, ${config.rows} row(s) per request, /metrics scraped every ${config.scrapeMs || '-'} ms on ours (load ${loadAtStart.join(' ')})`,
    );
    const runs: Record<Side, Run[]> = { ours: [], bare: [] };
    for (let r = 1; r <= rounds; r++) {
      const round_ = await runRound(config, work, r, cpuProfDir);
      for (const side of ['ours', 'bare'] as const) {
        const run = round_[side];
        runs[side].push(run);
        console.log(
          `  round ${r} ${side.padEnd(4)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s (slices ${run.sliceRequestsPerSecond!.map((v) => v.toFixed(0)).join(', ')}), p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, server CPU ${run.serverCpuMicrosPerRequest.toFixed(0)} µs/request${run.modelRuns ? `, ${(run.serverCounted! / run.modelRuns).toFixed(1)} requests per model run` : ''}, ${run.errors} errors${run.firstError ? ` (${run.firstError})` : ''} (load ${run.load})`,
        );
      }
    }
    const medianOf = (side: Side) => ({
      requestsPerSecond: round(median(runs[side].map((run) => run.requestsPerSecond)), 1),
      p50Ms: round(median(runs[side].map((run) => run.p50Ms))),
      p99Ms: round(median(runs[side].map((run) => run.p99Ms))),
      serverCpuMicrosPerRequest: round(median(runs[side].map((run) => run.serverCpuMicrosPerRequest)), 1),
      errors: runs[side].reduce((sum, run) => sum + run.errors, 0),
    });
    const medians = { ours: medianOf('ours'), bare: medianOf('bare') };
    // Throughput ratio ours / bare (above 1: ours serves more); latency ratios ours / bare (above 1: ours slower).
    const ratio = {
      throughput: round(medians.ours.requestsPerSecond / medians.bare.requestsPerSecond, 2),
      p50: round(medians.ours.p50Ms / medians.bare.p50Ms, 2),
      p99: round(medians.ours.p99Ms / medians.bare.p99Ms, 2),
      serverCpuPerRequest: round(medians.ours.serverCpuMicrosPerRequest / medians.bare.serverCpuMicrosPerRequest, 2),
    };
    // The two sides of a round run back to back, under much the same load from other work: their ratios,
    // round by round, move less with the machine's load than the ratio of the medians over all rounds.
    const perRound = runs.ours.map((ours, i) => ({
      throughput: round(ours.requestsPerSecond / runs.bare[i]!.requestsPerSecond, 2),
      serverCpuPerRequest: round(ours.serverCpuMicrosPerRequest / runs.bare[i]!.serverCpuMicrosPerRequest, 2),
    }));
    // Within a round, slice k of one side and slice k of the other ran seconds apart.
    const perSlice = runs.ours.flatMap((ours, i) =>
      ours.sliceRequestsPerSecond!.map((v, k) => round(v / runs.bare[i]!.sliceRequestsPerSecond![k]!, 2)),
    );
    const pairedRatio = {
      perRound,
      throughputMedian: round(median(perRound.map((r) => r.throughput)), 2),
      perSlice,
      sliceThroughputMedian: round(median(perSlice), 2),
      serverCpuPerRequestMedian: round(median(perRound.map((r) => r.serverCpuPerRequest)), 2),
    };
    const errors = medians.ours.errors + medians.bare.errors;
    const targets = [
      {
        name: 'throughput, ours / bare node:http + onnxruntime-node',
        target: '≥ 0.8×',
        value: ratio.throughput,
        met: ratio.throughput >= 0.8,
      },
      { name: 'errors under load (both sides, every round)', target: '0', value: errors, met: errors === 0 },
    ];
    const ortVersion = (
      JSON.parse(readFileSync(join(root, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string }
    ).version;
    const result = {
      name: 'serve',
      description:
        'requests per second and p50 / p99 latency of /v2/models/digits/infer under load on 127.0.0.1: our server (metrics, drift sketches against a data profile, request log on) against a bare node:http + onnxruntime-node server doing only inference',
      peer: `bare node:http + onnxruntime-node ${ortVersion} (same model, default session options)`,
      date: new Date().toISOString(),
      machine: machine(loadAtStart),
      input: {
        model: 'test/fixtures/digits-mlp-onnx (input FP32 [-1, 64], logits FP32 [-1, 10])',
        requestBodies: `${requestBodies(config.rows).length} Open Inference Protocol bodies of ${config.rows} row(s), sent in turn, the same bytes to both sides`,
        profile:
          "64 numeric columns (input_0 … input_63) profiled with shared/data ColumnAccumulator from scikit-learn's digits data (1,797 images / 16), the model's training data",
      },
      config: { rounds, ...config },
      commands: [
        'ours: startModelServer({ modelDir: digits-mlp-onnx, profile, requestLog: { dir }, maxBatchRows }) in its own process (node --experimental-transform-types bench/serve/run.ts --serve-ours); it batches requests that arrive while the model runs (default 64 rows; config.maxBatchRows 0: default, 1: off)',
        'bare: node:http createServer + onnxruntime-node InferenceSession in its own process (--serve-bare): JSON.parse, Float32Array.from(inputs[0].data), session.run, JSON answer',
        'load: its own process (--load): N keep-alive node:http clients, each sending the next request when the last is answered; requests started in the window counted; latency from request start to the last response byte',
        'a fresh server process per side and round, both up for the whole round; the load moves between them slice by slice (the side going first alternates), a fresh load process per slice',
      ].join('; '),
      runs,
      median: medians,
      ratio,
      pairedRatio,
      targets,
      targetsMet: targets.every((t) => t.met),
    };
    const resultPath = writeResult('serve', result);
    const line = (side: Side): string =>
      `${medians[side].requestsPerSecond.toFixed(0)} req/s, p50 ${medians[side].p50Ms.toFixed(2)} ms, p99 ${medians[side].p99Ms.toFixed(2)} ms, server CPU ${medians[side].serverCpuMicrosPerRequest.toFixed(0)} µs/request`;
    console.log(`ours: ${line('ours')}`);
    console.log(`bare: ${line('bare')}`);
    console.log(
      `throughput ratio ours/bare ${ratio.throughput.toFixed(2)}× (target ≥ 0.8); p50 ${ratio.p50.toFixed(2)}×, p99 ${ratio.p99.toFixed(2)}×, server CPU per request ${ratio.serverCpuPerRequest.toFixed(2)}× the bare server's; errors ${errors}`,
    );
    console.log(
      `round by round: throughput ratio ${perRound.map((r) => r.throughput.toFixed(2)).join(', ')} (median ${pairedRatio.throughputMedian.toFixed(2)}×), server CPU per request ${perRound.map((r) => r.serverCpuPerRequest.toFixed(2)).join(', ')} (median ${pairedRatio.serverCpuPerRequestMedian.toFixed(2)}×)`,
    );
    console.log(
      `slice by slice: throughput ratio median ${pairedRatio.sliceThroughputMedian.toFixed(2)}× (${perSlice.length} pairs, ${Math.min(...perSlice).toFixed(2)} to ${Math.max(...perSlice).toFixed(2)})`,
    );
    console.log(`load average: start ${loadAtStart.join(' ')}, end ${load().join(' ')} (${result.machine.cpus} CPUs shared)`);
    console.log(`${result.targetsMet ? 'all targets met' : 'some targets NOT met'}; wrote ${resultPath}`);
  } finally {
    cleanUp();
  }
}
