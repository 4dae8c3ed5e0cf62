import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DriftThresholds } from '../data/drift.js';
import type { ProfileJSON } from '../data/profile.js';
import type { TableSchema } from '../data/table-schema/types.js';
import { InputError } from '../errors.js';
import { decodeInferenceRequest, inferenceResponseHead, inferenceResponseText } from './inference-request.js';
import { BodyReader } from './body-reader.js';
import { decodeInvocation, invocationResponse } from './invocations.js';
import { InferenceBatcher, probeBatching } from './inference-batcher.js';
import { loadOnnxModel, type OnnxModel } from './onnx-model.js';
import { RequestError } from './request-error.js';
import { RequestLog, type RequestLogOptions } from './request-log.js';
import { ServerMetrics } from './server-metrics.js';
import { readPredictionReference } from './prediction-reference.js';
import { loggedPredictions, ServingProfiles } from './serving-profiles.js';
import { nest } from './tensor-values.js';
import { jsonValues, type TensorData } from './tensor-types.js';
import { TrafficStats } from './traffic-stats.js';

/** The server's name and version in `GET /v2` (the package's version). */
export const SERVER_NAME = 'mlops-serve';
export const SERVER_VERSION = '0.1.0';
const PLATFORM = 'onnxruntime_onnx';
/** validate-data's default drift thresholds. */
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psi: 0.2, js: 0.1, 'p-value': 0.05 };

export interface ModelServerOptions {
  /** A model folder (model.onnx, and model.onnx.data when the weights are external), or an .onnx file; pulled and verified by the caller. */
  modelDir: string;
  /** The name clients use in /v2/models/{name}. */
  name: string;
  /** The registry version, reported as model_version. */
  version: string;
  /** validate-data's profile of the training data: the reference live inputs are compared with. */
  profile?: ProfileJSON;
  /** The model's held-out predictions (a predictions file, as evaluate reads it): the reference of prediction drift. */
  predictions?: string;
  /** The training data's Table Schema: checked against the model's inputs before serving (the schema contract). */
  tableSchema?: TableSchema;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Bodies over this many bytes get 413. Default 10 MiB. */
  maxBodyBytes?: number;
  /** A request (headers and body) must arrive within this many ms, else 408. Default 30,000. */
  requestTimeoutMs?: number;
  /** On stop: how long in-flight requests may take before their connections are closed. Default 30,000. */
  shutdownTimeoutMs?: number;
  /** On stop: how long readiness reads false before the listener closes (for load balancers to notice). Default 0. */
  drainDelayMs?: number;
  driftThresholds?: DriftThresholds;
  /** Live profiles: window length and how many windows are kept. Default 60,000 ms × 10. */
  profileWindowMs?: number;
  profileWindows?: number;
  /** The sampled request log; none without it. */
  requestLog?: RequestLogOptions;
  intraOpThreads?: number;
  /**
   * Requests that arrive while the model runs are run together, up to this many rows (dynamic batching,
   * no added wait), when a probe at start shows the model answers batched rows exactly as it answers them
   * alone. 1 turns it off. Default 64.
   */
  maxBatchRows?: number;
  /** Where the server reports problems it survived (a line each). Default: nowhere. */
  log?: (line: string) => void;
}

export interface ModelServer {
  /** `http://host:port` */
  url: string;
  port: number;
  model: OnnxModel;
  readonly ready: boolean;
  /** Requests, errors and p95 latency since the last call (for a periodic log line). */
  takeStats(): { requests: number; errors: number; p95Ms: number | null };
  /** Live input and prediction profiles and drift, as `GET /mlops/profile` returns them. */
  liveProfiles(): Record<string, unknown>;
  /** Graceful stop: readiness false, no new connections, in-flight requests finish, the request log is written. */
  stop(): Promise<void>;
}

type Endpoint = 'infer' | 'invocations' | 'metadata' | 'health' | 'metrics' | 'profile' | 'unknown';

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?\/?$/;

/** What a response carries besides its body: the request id header, and whether the connection closes after it. */
interface Reply {
  id: string;
  close: boolean;
}

/** The response's headers, given to writeHead at once (no setHeader before it: node's fast path). */
function replyHeaders(reply: Reply, contentType: string, length?: number): Record<string, string | number> {
  const headers: Record<string, string | number> = { 'content-type': contentType, 'x-request-id': reply.id };
  if (length !== undefined) headers['content-length'] = length;
  if (reply.close) headers.connection = 'close';
  return headers;
}

function sendJson(res: ServerResponse, reply: Reply, status: number, body: unknown): void {
  sendJsonText(res, reply, status, JSON.stringify(body));
}

function sendJsonText(res: ServerResponse, reply: Reply, status: number, text: string): void {
  res.writeHead(status, replyHeaders(reply, 'application/json', Buffer.byteLength(text)));
  res.end(text);
}

/** 405 unless the request's method is `allowed`. */
function only(method: string, allowed: string, path: string): void {
  if (method !== allowed) throw new RequestError(405, `${path} takes ${allowed}, not ${method}`);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new RequestError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Row-capped inputs or outputs for the request log, copied as JSON values (a request's tensors are
 * views of shared slabs and of a batch's outputs, which a kept entry must not hold); nested only if the
 * entry is written.
 */
function loggedTensors(tensors: TensorData[], maxRows: number): { toJSON(): Record<string, unknown> } {
  const kept = tensors.map((t) => {
    const rows = Math.min(t.shape[0] ?? 0, maxRows);
    const shape = t.shape.length > 0 ? [rows, ...t.shape.slice(1)] : [];
    const size = shape.reduce((a, b) => a * b, 1);
    return { name: t.name, shape, values: jsonValues(t.datatype, size < t.data.length ? t.data.slice(0, size) : t.data) };
  });
  return { toJSON: () => Object.fromEntries(kept.map((t) => [t.name, nest(t.values, t.shape)])) };
}

/**
 * Loads the model and serves it over HTTP (node:http): the Open Inference Protocol REST API, MLflow's
 * `POST /invocations`, Prometheus `/metrics` and the live profiles. Resolves once it listens. Throws
 * InputError when the model cannot be loaded or breaks the Table Schema contract (nothing listens then).
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const model = await loadOnnxModel(options.modelDir, { tableSchema: options.tableSchema, intraOpThreads: options.intraOpThreads });
  const identity = { name: options.name, version: options.version };
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  const predictionReference = options.predictions ? await readPredictionReference(options.predictions, log) : undefined;
  const profiles = new ServingProfiles(model.layout, model.outputs, model.labels, options.profile, {
    windowMs: options.profileWindowMs ?? 60_000,
    windows: options.profileWindows ?? 10,
    thresholds: options.driftThresholds ?? DEFAULT_DRIFT_THRESHOLDS,
    ...(predictionReference ? { predictionReference } : {}),
  });
  if (profiles.predictionReferenceProblem) log(`no prediction drift: ${profiles.predictionReferenceProblem}`);
  let maxBatchRows = options.maxBatchRows ?? 64;
  if (maxBatchRows > 1) {
    const probe = await probeBatching(model);
    if (!probe.ok) {
      log(`no batching, each request runs alone: ${probe.reason}`);
      maxBatchRows = 1;
    }
  }
  const batcher = new InferenceBatcher(model, maxBatchRows, log);
  const metrics = new ServerMetrics(
    identity,
    () => profiles.drift(),
    () => profiles.inputs.rows(),
    () => profiles.predictionDrift(),
    () => batcher.runs,
  );
  const requestLog = options.requestLog ? new RequestLog(options.requestLog) : undefined;
  const stats = new TrafficStats();
  const bodies = new BodyReader(maxBody, requestTimeout);
  let ready = true;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const responseHead = inferenceResponseHead(identity);
  // The paths inference requests usually take, matched before anything else.
  const inferPaths = new Set([
    `/v2/models/${encodeURIComponent(identity.name)}/infer`,
    `/v2/models/${encodeURIComponent(identity.name)}/versions/${encodeURIComponent(identity.version)}/infer`,
  ]);

  const metadata = {
    name: identity.name,
    versions: [identity.version],
    platform: PLATFORM,
    inputs: model.inputs,
    outputs: model.outputs,
  };

  /** Runs the model on decoded tensors, then feeds the profiles, metrics and request log. */
  async function predict(id: string, endpoint: string, tensors: TensorData[], outputs?: string[]): Promise<TensorData[]> {
    // Every output is computed (the profiles need them); the response carries those asked for.
    const all = await batcher.run(tensors);
    const results = outputs ? outputs.map((name) => all.find((o) => o.name === name)!) : all;
    const rows = tensors[0]?.shape[0] ?? 0;
    const predicted = profiles.record(tensors, all);
    metrics.countRows(rows);
    requestLog?.offer(() => ({
      id,
      time: new Date().toISOString(),
      model: identity.name,
      version: identity.version,
      endpoint,
      rows,
      inputs: loggedTensors(tensors, 1000),
      outputs: loggedTensors(all, 1000),
      // One predicted class (or value) per row, for joining delayed labels.
      ...(predicted ? { prediction: loggedPredictions(predicted, 1000) } : {}),
    }));
    return results;
  }

  /** Checks the name (and version) in a model path: 404 for another model. */
  function checkModel(name: string, version: string | undefined): void {
    const decoded = decodeURIComponent(name);
    if (decoded !== identity.name)
      throw new RequestError(404, `unknown model "${decoded}"; this server serves "${identity.name}" (version ${identity.version})`);
    if (version !== undefined && decodeURIComponent(version) !== identity.version)
      throw new RequestError(
        404,
        `model "${identity.name}" has no version "${decodeURIComponent(version)}"; it serves version ${identity.version}`,
      );
  }

  /** POST …/infer: decode, predict, answer. */
  async function infer(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<'infer'> {
    const decoded = decodeInferenceRequest(parseJson(await bodies.read(req)), model);
    // The protocol's id is the request's id: the header and the request log carry it too.
    if (decoded.id !== undefined) reply.id = decoded.id;
    const outputs = await predict(reply.id, 'infer', decoded.tensors, decoded.outputs);
    sendJsonText(res, reply, 200, inferenceResponseText(responseHead, decoded.id, outputs));
    return 'infer';
  }

  async function route(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<Endpoint> {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path === '/v2' || path === '/v2/') {
      only(method, 'GET', path);
      sendJson(res, reply, 200, { name: SERVER_NAME, version: SERVER_VERSION, extensions: [] });
      return 'metadata';
    }
    if (path === '/v2/health/live') {
      only(method, 'GET', path);
      sendJson(res, reply, 200, { live: true });
      return 'health';
    }
    if (path === '/v2/health/ready' || path === '/ping' || path === '/health') {
      only(method, 'GET', path);
      sendJson(res, reply, ready ? 200 : 503, { ready });
      return 'health';
    }
    if (path === '/metrics') {
      only(method, 'GET', path);
      const { contentType, body } = await metrics.exposition();
      res.writeHead(200, replyHeaders(reply, contentType));
      res.end(body);
      return 'metrics';
    }
    if (path === '/mlops/profile') {
      only(method, 'GET', path);
      sendJson(res, reply, 200, liveProfiles());
      return 'profile';
    }
    if (path === '/invocations') {
      only(method, 'POST', path);
      const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json')
        throw new RequestError(415, `this server takes application/json on /invocations, not ${type} (CSV input is not supported)`);
      const decoded = decodeInvocation(parseJson(await bodies.read(req)), model);
      const outputs = await predict(reply.id, 'invocations', decoded.tensors);
      sendJson(res, reply, 200, invocationResponse(decoded.format, outputs));
      return 'invocations';
    }
    const match = MODEL_PATH.exec(path);
    if (match) {
      const [, name, version, action] = match;
      checkModel(name!, version);
      if (action === '/ready') {
        only(method, 'GET', path);
        sendJson(res, reply, ready ? 200 : 503, { name: identity.name, ready });
        return 'health';
      }
      if (action === '/infer') {
        only(method, 'POST', path);
        return infer(req, res, reply);
      }
      only(method, 'GET', path);
      sendJson(res, reply, 200, metadata);
      return 'metadata';
    }
    throw new RequestError(404, `no such endpoint: ${method} ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    inFlight++;
    const header = req.headers['x-request-id'];
    const id = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : randomUUID();
    // Once stopping, every answer tells keep-alive clients to go elsewhere.
    const reply: Reply = { id, close: !ready };
    let endpoint: Endpoint = 'unknown';
    try {
      // Inference on its usual path goes straight to infer(); everything else is routed.
      endpoint = req.method === 'POST' && inferPaths.has(req.url!) ? await infer(req, res, reply) : await route(req, res, reply);
    } catch (error) {
      const known = error instanceof RequestError;
      if (!known) log(`error answering ${req.method} ${req.url}: ${(error as Error).message}`);
      const status = known ? error.status : 500;
      const message = known ? error.message : `the server failed to answer: ${(error as Error).message}`;
      endpoint = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer\/?$/.test(req.url ?? '')
        ? 'infer'
        : req.url?.startsWith('/invocations')
          ? 'invocations'
          : endpoint;
      if (!res.headersSent) {
        // A body not read to its end (413, 408) is dropped with the connection.
        const drop = status === 413 || status === 408;
        if (drop) reply.close = true;
        // MLflow clients read {"error_code", "message"}; Open Inference Protocol clients read {"error"}.
        const body =
          endpoint === 'invocations' ? { error_code: status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST', message } : { error: message };
        sendJson(res, reply, status, body);
        if (drop) req.resume();
      } else {
        res.destroy();
      }
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const inference = endpoint === 'infer' || endpoint === 'invocations';
      metrics.observe(endpoint, res.statusCode, seconds, inference);
      if (endpoint !== 'metrics' && endpoint !== 'health') stats.record(res.statusCode, seconds, inference);
      inFlight--;
      if (inFlight === 0) idle?.();
    }
  }

  const server: Server = createServer(
    // Node's own limits are the backstop: headers must arrive in time too, and a request that is stuck is dropped.
    { requestTimeout: requestTimeout + 5_000, headersTimeout: requestTimeout, keepAliveTimeout: 5_000 },
    (req, res) => void handle(req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new InputError(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${error.message}`)
          : error,
      ),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  }).catch(async (error) => {
    bodies.close();
    await requestLog?.close();
    await model.release();
    throw error;
  });
  server.on('error', (error) => log(`server error: ${error.message}`));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  function liveProfiles(): Record<string, unknown> {
    return {
      model: identity.name,
      version: identity.version,
      windowMs: options.profileWindowMs ?? 60_000,
      inputs: profiles.inputs.merged(),
      predictions: profiles.predictions.merged(),
      drift: profiles.drift(),
      predictionDrift: profiles.predictionDrift(),
    };
  }

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    ready = false;
    if (options.drainDelayMs) await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      const finished = new Promise<void>((resolve) => (idle = resolve));
      const limit = new Promise<void>((resolve) => setTimeout(resolve, options.shutdownTimeoutMs ?? 30_000).unref());
      await Promise.race([finished, limit]);
    }
    server.closeAllConnections();
    await closed;
    bodies.close();
    await requestLog?.close();
    await model.release();
  }

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    model,
    get ready() {
      return ready;
    },
    takeStats: () => stats.take(),
    liveProfiles,
    stop: () => (stopping ??= stop()),
  };
}
