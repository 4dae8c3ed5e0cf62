// A loopback double of the runner's results service: the Twirp JSON API that @actions/cache (v2) and
// @actions/artifact (v2+) speak, checked against the clients' own generated protobuf-ts message types,
// with the blobs in Azurite behind SAS-signed URLs. Signed URLs point at a pass-through proxy in front
// of Azurite, so a test can cut an upload off midway.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { IMessageType } from '@protobuf-ts/runtime';
import { CacheService } from '../../node_modules/@actions/cache/lib/generated/results/api/v1/cache.js';
import { ArtifactService } from '../../node_modules/@actions/artifact/lib/generated/results/api/v1/artifact.js';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, startAzurite, type Azurite } from './azurite.js';

const CONTAINER = 'results';
const SERVICES = [CacheService, ArtifactService];

/** A request the real service would refuse: not a known method, not the generated message type, no token. */
export interface Violation {
  path: string;
  message: string;
}

export interface TwirpCall {
  method: string;
  request: Record<string, unknown>;
  status: number;
}

export interface CacheEntry {
  key: string;
  version: string;
  blob: string;
  sizeBytes?: number;
  id: number;
}

export interface StoredArtifact {
  id: number;
  runId: string;
  jobId: string;
  name: string;
  blob: string;
  size?: number;
  hash?: string;
  createdAt: Date;
}

export interface ResultsServiceDouble {
  /** Use as ACTIONS_RESULTS_URL (ends in '/', as the runner's does). */
  readonly url: string;
  /** A runtime token whose `Actions.Results:<run>:<job>` scope the artifact client reads. */
  readonly runtimeToken: string;
  readonly violations: Violation[];
  readonly calls: TwirpCall[];
  readonly cacheEntries: CacheEntry[];
  readonly artifacts: StoredArtifact[];
  /** The bytes of a blob as Azurite holds them. */
  blobBytes(blob: string): Promise<Buffer>;
  /** Overwrites a blob, as someone able to write a cache entry could. */
  replaceBlob(blob: string, bytes: Buffer): Promise<void>;
  /** The next `times` CreateCacheEntry calls answer ok: false with `message` (another job is saving the key). */
  refuseCacheSaves(message: string, times?: number): void;
  /** Every blob upload (PUT) through the signed URLs gets its connection cut after `afterBytes` bytes, until `times` uploads were cut. */
  cutUploads(afterBytes: number, times?: number): void;
  close(): Promise<void>;
}

function base64Url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

/** Starts Azurite, the blob proxy and the Twirp server, all on 127.0.0.1. */
export async function startResultsServiceDouble(options: { runId?: string; jobId?: string } = {}): Promise<ResultsServiceDouble> {
  const runId = options.runId ?? 'b9a5b6a3-0d69-4c6e-8a39-6d3c5c0f2e11';
  const jobId = options.jobId ?? '7f3a8f0e-51a2-5b0e-9f4c-1c2d3e4f5a6b';
  const azurite: Azurite = await startAzurite();
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY);
  const containerClient = new BlobServiceClient(`${azurite.url}/${DEV_ACCOUNT}`, credential).getContainerClient(CONTAINER);
  await containerClient.createIfNotExists();

  const violations: Violation[] = [];
  const calls: TwirpCall[] = [];
  const cacheEntries: CacheEntry[] = [];
  const artifacts: StoredArtifact[] = [];
  let nextId = 1;
  let refusals: { message: string; remaining: number } | undefined;
  let cuts: { afterBytes: number; remaining: number } | undefined;
  const sockets = new Set<import('node:net').Socket>();

  // The blob proxy: passes every request to Azurite unchanged, except uploads it was told to cut.
  const proxy = createServer((req, res) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: azurite.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${azurite.port}` },
        timeout: 30_000,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('Azurite did not answer within 30 s')));
    upstream.on('error', () => res.destroy());
    if (req.method === 'PUT' && cuts && cuts.remaining > 0) {
      const cut = cuts;
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= cut.afterBytes && !req.destroyed) {
          cut.remaining--;
          upstream.destroy();
          req.socket.destroy();
        } else upstream.write(chunk);
      });
      req.on('end', () => upstream.end());
      return;
    }
    req.pipe(upstream);
  });
  proxy.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const sign = (blob: string, permissions: string): string => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName: blob,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3_600_000),
      },
      credential,
    ).toString();
    return `${proxyUrl}/${DEV_ACCOUNT}/${CONTAINER}/${blob}?${sas}`;
  };

  type Handler = (request: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  const handlers: Record<string, Handler> = {
    // Cache: https://github.com/actions/toolkit/tree/main/packages/cache (v2 service)
    'CacheService/CreateCacheEntry': (r) => {
      if (refusals && refusals.remaining > 0) {
        refusals.remaining--;
        return { ok: false, message: refusals.message };
      }
      if (cacheEntries.some((e) => e.key === r.key && e.version === r.version))
        return { ok: false, message: `cache entry with key ${r.key} already exists` };
      const entry: CacheEntry = { key: String(r.key), version: String(r.version), blob: `cache/${nextId}`, id: nextId++ };
      cacheEntries.push(entry);
      return { ok: true, signedUploadUrl: sign(entry.blob, 'cw') };
    },
    'CacheService/FinalizeCacheEntryUpload': async (r) => {
      const entry = cacheEntries.find((e) => e.key === r.key && e.version === r.version);
      if (!entry) return { ok: false, message: `no cache entry was created for key ${r.key}` };
      const properties = await containerClient
        .getBlobClient(entry.blob)
        .getProperties()
        .catch(() => undefined);
      if (!properties || properties.contentLength !== Number(r.sizeBytes))
        return { ok: false, message: `the uploaded blob has ${properties?.contentLength ?? 'no'} bytes, not ${r.sizeBytes}` };
      entry.sizeBytes = Number(r.sizeBytes);
      return { ok: true, entryId: String(entry.id) };
    },
    'CacheService/GetCacheEntryDownloadURL': (r) => {
      const done = cacheEntries.filter((e) => e.sizeBytes !== undefined && e.version === r.version);
      const exact = done.find((e) => e.key === r.key);
      const prefixed = (r.restoreKeys as string[]).map((prefix) => done.filter((e) => e.key.startsWith(prefix)).at(-1)).find(Boolean);
      const hit = exact ?? prefixed;
      return hit ? { ok: true, signedDownloadUrl: sign(hit.blob, 'r'), matchedKey: hit.key } : { ok: false };
    },
    // Artifacts: https://github.com/actions/toolkit/tree/main/packages/artifact
    'ArtifactService/CreateArtifact': (r) => {
      if (r.workflowRunBackendId !== runId || r.workflowJobRunBackendId !== jobId) return { ok: false };
      if (artifacts.some((a) => a.name === r.name && a.runId === runId))
        throw new TwirpError(409, 'already_exists', `an artifact named ${r.name} already exists`);
      const artifact: StoredArtifact = {
        id: nextId++,
        runId,
        jobId,
        name: String(r.name),
        blob: `artifacts/${nextId}.zip`,
        createdAt: new Date(),
      };
      artifacts.push(artifact);
      return { ok: true, signedUploadUrl: sign(artifact.blob, 'cw') };
    },
    'ArtifactService/FinalizeArtifact': async (r) => {
      const artifact = artifacts.find((a) => a.name === r.name && a.runId === r.workflowRunBackendId);
      if (!artifact) throw new TwirpError(404, 'not_found', `no artifact named ${r.name}`);
      const properties = await containerClient
        .getBlobClient(artifact.blob)
        .getProperties()
        .catch(() => undefined);
      if (!properties || properties.contentLength !== Number(r.size)) return { ok: false };
      artifact.size = Number(r.size);
      artifact.hash = typeof r.hash === 'string' ? r.hash : undefined;
      return { ok: true, artifactId: String(artifact.id) };
    },
    'ArtifactService/ListArtifacts': (r) => ({
      artifacts: artifacts
        .filter((a) => a.size !== undefined && a.runId === r.workflowRunBackendId)
        .filter((a) => r.nameFilter == null || a.name === r.nameFilter)
        .filter((a) => r.idFilter == null || String(a.id) === String(r.idFilter))
        .map((a) => ({
          workflowRunBackendId: a.runId,
          workflowJobRunBackendId: a.jobId,
          databaseId: String(a.id),
          name: a.name,
          size: String(a.size),
          createdAt: a.createdAt.toISOString(),
          ...(a.hash ? { digest: a.hash } : {}),
        })),
    }),
    'ArtifactService/GetSignedArtifactURL': (r) => {
      const artifact = artifacts.find((a) => a.name === r.name && a.runId === r.workflowRunBackendId && a.size !== undefined);
      if (!artifact) throw new TwirpError(404, 'not_found', `no artifact named ${r.name}`);
      return { signedUrl: sign(artifact.blob, 'r') };
    },
  };

  const runtimeToken = `${base64Url('{"alg":"none","typ":"JWT"}')}.${base64Url(JSON.stringify({ scp: `Actions.GenericRead:00000000 Actions.Results:${runId}:${jobId}` }))}.signature`;

  const server: Server = createServer((req, res) => {
    void answer(req, res).catch((error: Error) => sendTwirpError(res, 500, 'internal', error.message));
  });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    const body = await readBody(req);
    const violation = (status: number, code: string, message: string) => {
      violations.push({ path, message });
      sendTwirpError(res, status, code, message);
    };
    const match = /^\/twirp\/github\.actions\.results\.api\.v1\.(\w+)\/(\w+)$/.exec(path);
    if (req.method !== 'POST' || !match) return violation(404, 'bad_route', `no Twirp method at ${req.method} ${path}`);
    const [, serviceName, methodName] = match as unknown as [string, string, string];
    const service = SERVICES.find((s) => s.typeName === `github.actions.results.api.v1.${serviceName}`);
    const method = service?.methods.find((m) => m.name === methodName);
    const handler = handlers[`${serviceName}/${methodName}`];
    if (!method || !handler) return violation(404, 'bad_route', `${serviceName}/${methodName} is not a method of the results service`);
    if (req.headers.authorization !== `Bearer ${runtimeToken}`)
      return violation(
        401,
        'unauthenticated',
        `authorization must be "Bearer <ACTIONS_RUNTIME_TOKEN>", got ${req.headers.authorization ?? 'none'}`,
      );
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return violation(400, 'malformed', `content-type must be application/json, got ${req.headers['content-type']}`);
    let request: Record<string, unknown>;
    try {
      // Strict, as the real server is: an unknown field or a wrong type is refused.
      const input = method.I as IMessageType<object>;
      const message = input.fromJsonString(body, { ignoreUnknownFields: false });
      request = input.toJson(message, { emitDefaultValues: true }) as Record<string, unknown>;
    } catch (error) {
      return violation(400, 'malformed', `${method.I.typeName}: ${(error as Error).message}`);
    }
    let status = 200;
    try {
      const output = method.O as IMessageType<object>;
      const response = output.fromJson((await handler(request)) as never, { ignoreUnknownFields: false });
      res.writeHead(200, { 'content-type': 'application/json' }).end(output.toJsonString(response, { emitDefaultValues: true }));
    } catch (error) {
      if (!(error instanceof TwirpError)) throw error;
      status = error.status;
      sendTwirpError(res, error.status, error.code, error.message);
    } finally {
      calls.push({ method: `${serviceName}/${methodName}`, request, status });
    }
  }
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    runtimeToken,
    violations,
    calls,
    cacheEntries,
    artifacts,
    blobBytes: async (blob) => containerClient.getBlobClient(blob).downloadToBuffer(),
    replaceBlob: async (blob, bytes) => {
      await containerClient.getBlockBlobClient(blob).uploadData(bytes);
    },
    refuseCacheSaves: (message, times = 1) => {
      refusals = { message, remaining: times };
    },
    cutUploads: (afterBytes, times = Number.POSITIVE_INFINITY) => {
      cuts = { afterBytes, remaining: times };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      proxy.closeAllConnections();
      await Promise.all([new Promise<void>((done) => server.close(() => done())), new Promise<void>((done) => proxy.close(() => done()))]);
      await azurite.stop();
    },
  };
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendTwirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, msg }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
