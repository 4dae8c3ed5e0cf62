// A client for one repository in an OCI distribution registry (distribution-spec v1.1), on Node's fetch.
// No maintained JavaScript OCI client pushes artifacts with referrers (the npm packages are pull-only
// or unmaintained), so this is hand-written against the spec and tested on Debian's docker-registry.
import { createHash, type Hash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError, ServiceError } from '../errors.js';
import {
  EMPTY_CONFIG,
  MEDIA_TYPE_INDEX,
  MEDIA_TYPE_MANIFEST,
  type Descriptor,
  type ImageIndex,
  type ManifestBytes,
  type OciRepository,
} from './oci-repository.js';
import { RegistryAuth, type RegistryCredentials } from './registry-auth.js';
import { isDigest, isLoopbackRegistry, isTag, parseRegistryReference, type RegistryReference } from './registry-reference.js';

export interface RetryPolicy {
  /** Tries of one request, the first included. */
  attempts: number;
  /** Backoff before the second try; doubled for each further try, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first try. */
  totalMs: number;
}

export interface DistributionClientOptions {
  username?: string;
  password?: string;
  /** For ghcr.io: used as the password when none is given (the workflow needs `packages: write` to push). */
  githubToken?: string;
  /** A repository on the same registry to cross-mount blobs from instead of uploading them. */
  mountFrom?: string;
  /** Per request, until the answer's headers; for blob transfers, the longest pause in the data. */
  timeoutMs?: number;
  /** Blobs larger than this go up in PATCH chunks of this size. */
  chunkSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Where retries are reported (the runtime's logger); silent when absent. */
  log?: (line: string) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, totalMs: 60_000 };
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;

const MANIFEST_ACCEPT = [
  MEDIA_TYPE_MANIFEST,
  MEDIA_TYPE_INDEX,
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');
// Manifests are small; a registry answering more is broken or hostile.
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const MAX_TAG_PAGES = 1_000;
const TAG_PAGE_SIZE = 1_000;
const REFERRER_INDEX_WRITES = 3;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

interface Request {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  /** Statuses the caller handles; any other is a ServiceError. */
  ok: number[];
  /** Auth scopes the request needs, e.g. `repository:team/iris:pull`. */
  scopes: string[];
  headers?: Record<string, string>;
  /** A buffer, or a factory called anew for each try. */
  body?: Buffer | (() => Readable);
  /** Blob GETs follow redirects (without Authorization to another origin); nothing else does. */
  followRedirects?: boolean;
  /** Blob transfers: the timeout applies to pauses in the data, not to the whole transfer. */
  stream?: boolean;
  /** Uploads retry as a whole (a new upload session), never one request of them. */
  retry?: boolean;
}

interface Answer {
  status: number;
  headers: Headers;
  url: URL;
  /** The whole body, for requests that are not `stream`. */
  bytes: Buffer;
  /** The body still to read, for `stream` requests; discard() when not read. */
  body: Readable | null;
  /** For `stream` requests: restarts the idle timeout; call on every chunk. */
  kick: () => void;
  /** For `stream` requests: stops the idle timeout. */
  done: () => void;
}

/** Thrown inside a try (what failed, without the registry's name); the retry loop decides whether to go again. */
class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

async function discard(answer: Answer): Promise<void> {
  answer.done();
  answer.body?.destroy();
}

/**
 * One repository (`oci://host[:port]/namespace/name`) in an OCI distribution registry. Plain HTTP only
 * to loopback hosts (127.0.0.1, [::1], localhost), HTTPS otherwise.
 */
export class DistributionRepository implements OciRepository {
  readonly label: string;
  readonly registry: string;
  readonly repository: string;
  private readonly origin: string;
  private readonly service: string;
  private readonly auth: RegistryAuth;
  private readonly retryPolicy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly chunkSize: number;
  private readonly mountFrom?: string;
  private readonly log: (line: string) => void;
  /** Learnt from the registry: undefined until a referrers call or an `OCI-Subject` answer tells. */
  private referrersApi: boolean | undefined;

  /** `location` is `oci://host[:port]/namespace/name` (an `@reference` in it is ignored) or a parsed reference. */
  constructor(location: string | RegistryReference, options: DistributionClientOptions = {}) {
    const reference = typeof location === 'string' ? parseRegistryReference(location) : location;
    this.registry = reference.registry;
    this.repository = reference.repository;
    this.label = `oci://${this.registry}/${this.repository}`;
    this.origin = `${isLoopbackRegistry(this.registry) ? 'http' : 'https'}://${this.registry}`;
    this.service = `registry ${this.registry}`;
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!(this.chunkSize > 0)) throw new InputError(`chunk size ${options.chunkSize} must be a positive number of bytes`);
    if (options.mountFrom !== undefined) this.mountFrom = options.mountFrom;
    this.log = options.log ?? (() => {});
    this.auth = new RegistryAuth(this.registry, credentialsFor(this.registry, options), (url, headers) => this.requestToken(url, headers));
  }

  async hasBlob(digest: string): Promise<boolean> {
    checkDigest(digest);
    const answer = await this.send({
      method: 'HEAD',
      url: this.url(`blobs/${digest}`),
      ok: [200, 404],
      scopes: this.pull(),
      followRedirects: true,
    });
    return answer.status === 200;
  }

  async putBlob(digest: string, size: number, content: () => Readable): Promise<{ uploaded: boolean }> {
    checkDigest(digest);
    if (await this.hasBlob(digest)) return { uploaded: false };
    let location: URL | undefined;
    if (this.mountFrom && this.mountFrom !== this.repository) {
      const url = this.url('blobs/uploads/');
      url.searchParams.set('mount', digest);
      url.searchParams.set('from', this.mountFrom);
      const scopes = [...this.push(), `repository:${this.mountFrom}:pull`];
      const answer = await this.send({ method: 'POST', url, ok: [201, 202], scopes, headers: { 'Content-Length': '0' } });
      await discard(answer);
      if (answer.status === 201) return { uploaded: false };
      location = this.uploadLocation(answer);
    }
    await this.withRetries(`upload of blob ${digest}`, async () => {
      const session = location ? { url: location } : await this.startUpload();
      location = undefined; // a retry starts a new session: the old one's state is unknown
      const chunkSize = Math.max(this.chunkSize, session.minChunk ?? 0);
      if (size > chunkSize) await this.uploadChunked(session.url, digest, size, content, chunkSize);
      else await this.uploadMonolithic(session.url, digest, size, content);
    });
    return { uploaded: true };
  }

  async getBlob(digest: string, size?: number): Promise<Readable> {
    checkDigest(digest);
    const answer = await this.send({
      method: 'GET',
      url: this.url(`blobs/${digest}`),
      ok: [200, 404],
      scopes: this.pull(),
      followRedirects: true,
      stream: true,
    });
    if (answer.status === 404) {
      await discard(answer);
      throw new ServiceError(this.service, `blob ${digest} is not in ${this.label} (GET ${answer.url.pathname} answered 404)`);
    }
    const body = answer.body;
    if (!body) throw new ServiceError(this.service, `GET ${answer.url.pathname} answered 200 without a body`);
    return this.verifiedBlob(body, digest, size, answer);
  }

  async putManifest(manifest: ManifestBytes, tag?: string): Promise<void> {
    checkDigest(manifest.digest);
    if (tag !== undefined && !isTag(tag)) throw new InputError(`tag '${tag}' is not a valid OCI tag`);
    const actual = digestOf(manifest.bytes, manifest.digest);
    if (actual !== manifest.digest) throw new Error(`manifest bytes have digest ${actual}, not the ${manifest.digest} given with them`);
    const answer = await this.send({
      method: 'PUT',
      url: this.url(`manifests/${tag ?? manifest.digest}`),
      ok: [201],
      scopes: this.push(),
      headers: { 'Content-Type': manifest.mediaType },
      body: manifest.bytes,
    });
    await discard(answer);
    const stored = answer.headers.get('docker-content-digest');
    if (stored && stored !== manifest.digest) {
      throw new ServiceError(this.service, `PUT ${answer.url.pathname} stored the manifest as ${stored}, not as ${manifest.digest}`);
    }
    // A registry that tracks referrers itself says so when it stores a manifest with a subject.
    if (answer.headers.get('oci-subject')) this.referrersApi = true;
  }

  async getManifest(reference: string): Promise<ManifestBytes | null> {
    if (!isDigest(reference) && !isTag(reference)) throw new InputError(`'${reference}' is neither a valid OCI tag nor a sha256 digest`);
    const answer = await this.send({
      method: 'GET',
      url: this.url(`manifests/${reference}`),
      ok: [200, 404],
      scopes: this.pull(),
      headers: { Accept: MANIFEST_ACCEPT },
    });
    if (answer.status === 404) {
      await discard(answer);
      return null;
    }
    const bytes = await this.readLimited(answer, MAX_MANIFEST_BYTES);
    const expected = isDigest(reference) ? reference : answer.headers.get('docker-content-digest');
    const digest = isDigest(reference) ? digestOf(bytes, reference) : digestOf(bytes, 'sha256:');
    if (expected && isDigest(expected) && digestOf(bytes, expected) !== expected) {
      throw new ServiceError(
        this.service,
        `manifest ${reference} in ${this.label} does not match its digest: expected ${expected}, the bytes have ${digestOf(bytes, expected)}`,
      );
    }
    return { mediaType: manifestMediaType(answer.headers.get('content-type'), bytes), digest, bytes };
  }

  async listTags(): Promise<string[]> {
    const tags = new Set<string>();
    const visited = new Set<string>();
    let url: URL | undefined = this.url('tags/list');
    url.searchParams.set('n', String(TAG_PAGE_SIZE));
    // distribution 2.8 ignores n/last and may send unsorted pages: stop on loops, empty pages and a page bound.
    for (let page = 0; url && page < MAX_TAG_PAGES && !visited.has(url.href); page++) {
      visited.add(url.href);
      const answer: Answer = await this.send({ method: 'GET', url, ok: [200, 404], scopes: this.pull() });
      if (answer.status === 404) {
        await discard(answer);
        break;
      }
      const body = parseJson(await this.readLimited(answer, 64 * 1024 * 1024), `GET ${url.pathname}`, this.service) as { tags?: unknown };
      const pageTags = Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : [];
      const before = tags.size;
      for (const tag of pageTags) tags.add(tag);
      if (tags.size === before) break;
      url = this.nextPage(answer);
    }
    return [...tags].sort();
  }

  async deleteTag(tag: string): Promise<void> {
    if (!isTag(tag)) throw new InputError(`tag '${tag}' is not a valid OCI tag`);
    const answer = await this.send({
      method: 'DELETE',
      url: this.url(`manifests/${tag}`),
      ok: [202, 404, 400, 405],
      scopes: this.delete(),
    });
    if (answer.status === 202 || answer.status === 404) return;
    if (answer.status === 405) {
      throw new ServiceError(
        this.service,
        `cannot delete tag '${tag}' of ${this.label}: the registry refuses deletes (405${registryErrorText(answer.bytes.toString('utf8'))})`,
      );
    }
    if (!(await this.getManifest(tag))) return;
    // Registries that delete by digest only (distribution 2.8) would drop every tag of that manifest with
    // it; so the tag is first moved to a manifest of its own, which is then deleted (regclient does the same).
    const ownManifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE_MANIFEST,
        config: EMPTY_CONFIG,
        layers: [],
        annotations: {
          'org.opencontainers.image.description': `an empty manifest of its own for deleting tag ${tag}`,
          'org.opencontainers.image.created': new Date().toISOString(),
        },
      }),
    );
    const digest = digestOf(ownManifest, 'sha256:');
    await this.putBlob(EMPTY_CONFIG.digest, EMPTY_CONFIG.size, () => Readable.from([Buffer.from('{}')]));
    await this.putManifest({ mediaType: MEDIA_TYPE_MANIFEST, digest, bytes: ownManifest }, tag);
    const removed = await this.send({ method: 'DELETE', url: this.url(`manifests/${digest}`), ok: [202, 404, 405], scopes: this.delete() });
    if (removed.status === 405) {
      throw new ServiceError(
        this.service,
        `cannot delete tag '${tag}' of ${this.label}: the registry refuses deletes (405${registryErrorText(removed.bytes.toString('utf8'))}); the tag now points at an empty manifest of its own, ${digest}`,
      );
    }
  }

  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    checkDigest(digest);
    let index: ImageIndex | null = null;
    if (this.referrersApi !== false) index = await this.referrersFromApi(digest, artifactType);
    if (!index) {
      const tagged = await this.getManifest(referrersTag(digest));
      index = tagged ? parseIndex(tagged.bytes, `tag ${referrersTag(digest)} of ${this.label}`, this.service) : null;
    }
    const manifests = index?.manifests ?? [];
    // Registries may ignore the filter (OCI-Filters-Applied tells), and the tag schema has none.
    return artifactType ? manifests.filter((d) => d.artifactType === artifactType) : manifests;
  }

  async addReferrer(subject: Descriptor, referrer: Descriptor): Promise<void> {
    checkDigest(subject.digest);
    checkDigest(referrer.digest);
    if (this.referrersApi === undefined) await this.referrersFromApi(subject.digest);
    if (this.referrersApi) return;
    const tag = referrersTag(subject.digest);
    const entry: Descriptor = {
      mediaType: referrer.mediaType,
      digest: referrer.digest,
      size: referrer.size,
      ...(referrer.artifactType ? { artifactType: referrer.artifactType } : {}),
      ...(referrer.annotations ? { annotations: referrer.annotations } : {}),
    };
    // Read, append, write back, read again: a concurrent writer may have replaced the index in between.
    for (let write = 0; write < REFERRER_INDEX_WRITES; write++) {
      const current = await this.getManifest(tag);
      const index: ImageIndex = current
        ? parseIndex(current.bytes, `tag ${tag} of ${this.label}`, this.service)
        : { schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: [] };
      if (index.manifests.some((d) => d.digest === entry.digest)) return;
      const bytes = Buffer.from(JSON.stringify({ ...index, manifests: [...index.manifests, entry] }));
      await this.putManifest({ mediaType: MEDIA_TYPE_INDEX, digest: digestOf(bytes, 'sha256:'), bytes }, tag);
      const after = await this.getManifest(tag);
      if (after && parseIndex(after.bytes, `tag ${tag}`, this.service).manifests.some((d) => d.digest === entry.digest)) return;
      await sleep(100 + Math.random() * 400);
    }
    throw new ServiceError(
      this.service,
      `could not add referrer ${referrer.digest} to tag ${tag} of ${this.label}: other writers kept replacing it`,
    );
  }

  // ---- the referrers API ----

  /** The registry's referrers index, or null when it has no referrers API (and then remembers that). */
  private async referrersFromApi(digest: string, artifactType?: string): Promise<ImageIndex | null> {
    const url = this.url(`referrers/${digest}`);
    if (artifactType) url.searchParams.set('artifactType', artifactType);
    // Never follow a redirect here (distribution-spec): a 3xx counts as "no referrers API".
    const answer = await this.send({ method: 'GET', url, ok: [200, 301, 302, 303, 307, 308, 400, 404, 405], scopes: this.pull() });
    const type = (answer.headers.get('content-type') ?? '').split(';')[0].trim();
    if (answer.status !== 200 || type !== MEDIA_TYPE_INDEX) {
      await discard(answer);
      this.referrersApi = false;
      return null;
    }
    const bytes = await this.readLimited(answer, MAX_MANIFEST_BYTES);
    let index: ImageIndex;
    try {
      index = parseIndex(bytes, `GET ${url.pathname}`, this.service);
    } catch {
      this.referrersApi = false;
      return null;
    }
    this.referrersApi = true;
    return index;
  }

  // ---- uploads ----

  private async startUpload(): Promise<{ url: URL; minChunk?: number }> {
    const answer = await this.send({
      method: 'POST',
      url: this.url('blobs/uploads/'),
      ok: [202],
      scopes: this.push(),
      headers: { 'Content-Length': '0' },
    });
    await discard(answer);
    const minChunk = Number(answer.headers.get('oci-chunk-min-length'));
    return { url: this.uploadLocation(answer), ...(minChunk > 0 ? { minChunk } : {}) };
  }

  private uploadLocation(answer: Answer): URL {
    const location = answer.headers.get('location');
    if (!location)
      throw new ServiceError(this.service, `${answer.url.pathname} answered ${answer.status} without a Location for the upload`);
    const url = new URL(location, answer.url);
    this.checkScheme(url);
    return url;
  }

  private async uploadMonolithic(location: URL, digest: string, size: number, content: () => Readable): Promise<void> {
    // Kept aside: fetch reports a failing request body as a network error, whose cause may arrive rewrapped.
    let contentError: unknown;
    const body = () => Readable.from(checkedContent(content(), digest, size, (error) => (contentError = error)));
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) };
    const answer = await this.send({
      method: 'PUT',
      url: withDigest(location, digest),
      ok: [201, 400],
      scopes: this.push(),
      headers,
      body,
      stream: true,
      retry: false,
    }).catch((error: unknown) => {
      throw contentError ?? error;
    });
    await this.checkStored(answer, digest, size);
  }

  /**
   * PATCHes of `chunkSize` bytes, each streamed straight from the content (nothing is buffered: a chunk
   * is as large as the registry allows, 64 MiB by default, and several blobs may go up at once). A PATCH
   * body can therefore be sent only once; should the registry ask for it again (a 401 challenge mid-upload),
   * the whole upload starts again, as any failed upload does.
   */
  private async uploadChunked(location: URL, digest: string, size: number, content: () => Readable, chunkSize: number): Promise<void> {
    // Kept aside: fetch reports a failing request body as a network error, whose cause may arrive rewrapped.
    let contentError: unknown;
    const source = checkedContent(content(), digest, size, (error) => (contentError = error));
    const pieces = { source, carry: undefined as Buffer | undefined };
    try {
      for (let offset = 0; offset < size;) {
        const length = Math.min(chunkSize, size - offset);
        let sent = false;
        const body = (): Readable => {
          if (sent) throw new RetryableFailure(`the registry asked for PATCH data of blob ${digest} again; the upload starts over`);
          sent = true;
          return Readable.from(takeBytes(pieces, length, offset + length === size));
        };
        const answer = await this.send({
          method: 'PATCH',
          url: location,
          ok: [202],
          scopes: this.push(),
          headers: {
            'Content-Type': 'application/octet-stream',
            'Content-Range': `${offset}-${offset + length - 1}`,
            'Content-Length': String(length),
          },
          body,
          stream: true,
          retry: false,
        }).catch((error: unknown) => {
          throw contentError ?? error;
        });
        await discard(answer);
        location = this.uploadLocation(answer);
        offset += length;
      }
    } finally {
      await source.return(undefined);
    }
    if (contentError) throw contentError;
    const answer = await this.send({
      method: 'PUT',
      url: withDigest(location, digest),
      ok: [201, 400],
      scopes: this.push(),
      headers: { 'Content-Length': '0' },
      retry: false,
    });
    await this.checkStored(answer, digest, size);
  }

  /**
   * The answer to an upload's closing PUT. The registry hashes what it received and refuses a digest that
   * does not match (distribution-spec: 400 DIGEST_INVALID) before the blob exists: that is the content
   * check of an upload, so the bytes are not hashed a second time here.
   */
  private async checkStored(answer: Answer, digest: string, size: number): Promise<void> {
    if (answer.status === 400) {
      const text = registryErrorText(await this.textOf(answer));
      if (/DIGEST_INVALID/.test(text))
        throw new InputError(
          `content for blob ${digest} (${size} bytes) does not match: the registry found another digest${text}; did the file change during the push?`,
        );
      throw new ServiceError(this.service, `PUT ${answer.url.pathname} answered 400${text}`);
    }
    await discard(answer);
    const stored = answer.headers.get('docker-content-digest');
    if (stored && stored !== digest) throw new ServiceError(this.service, `the upload of ${digest} was stored as ${stored}`);
  }

  // ---- blob download ----

  /**
   * The body, hashed as it passes: the stream errors (ServiceError naming the digest) on the first byte past
   * `size`, and at its end unless the bytes have `digest`, so a reader never sees a clean end of wrong bytes.
   */
  private verifiedBlob(body: Readable, digest: string, size: number | undefined, answer: Answer): Readable {
    const hash = hashFor(digest);
    let received = 0;
    const { service, label } = this;
    const check = new Transform({
      // As large as the socket's pieces, so that a fast reader is not held back by a small buffer.
      highWaterMark: 1 << 20,
      transform(chunk: Buffer, _encoding, callback) {
        answer.kick();
        received += chunk.length;
        if (size !== undefined && received > size)
          return callback(
            new ServiceError(
              service,
              `blob ${digest} from ${label} is longer than its ${size} bytes: its content does not match the digest`,
            ),
          );
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        answer.done();
        const actual = `${digest.split(':')[0]}:${hash.digest('hex')}`;
        if (actual === digest && (size === undefined || received === size)) return callback();
        callback(
          new ServiceError(
            service,
            `blob ${digest} from ${label} does not match its digest: got ${actual} over ${received} bytes${size !== undefined ? ` (expected ${size})` : ''}`,
          ),
        );
      },
    });
    body.on('error', (error) => {
      check.destroy(
        error instanceof ServiceError
          ? error
          : new ServiceError(service, `download of blob ${digest} from ${label} failed: ${describeFailure(error, this.timeoutMs)}`, {
              cause: error,
            }),
      );
    });
    // A reader that stops early (another layer failed) closes the connection too.
    check.on('close', () => {
      answer.done();
      body.destroy();
    });
    body.pipe(check);
    return check;
  }

  // ---- HTTP: auth, redirects, timeouts, retries ----

  private url(path: string): URL {
    return new URL(`${this.origin}/v2/${this.repository}/${path}`);
  }

  private pull(): string[] {
    return [`repository:${this.repository}:pull`];
  }

  private push(): string[] {
    return [`repository:${this.repository}:pull,push`];
  }

  private delete(): string[] {
    return [`repository:${this.repository}:delete`];
  }

  private checkScheme(url: URL): void {
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackRegistry(url.host))) return;
    throw new ServiceError(this.service, `refusing ${url.origin}: plain HTTP (or ${url.protocol}) is only allowed to loopback hosts`);
  }

  /** Sends a request with auth, redirects and timeouts; retries 429, 5xx and network failures unless told not to. */
  private async send(request: Request): Promise<Answer> {
    // Without retries here, a RetryableFailure reaches the caller's retry loop (a whole upload).
    if (request.retry === false) return this.sendOnce(request);
    return this.withRetries(`${request.method} ${request.url.pathname}`, () => this.sendOnce(request));
  }

  private async withRetries<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const { attempts, baseDelayMs, maxDelayMs, totalMs } = this.retryPolicy;
    const started = Date.now();
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        const elapsed = Date.now() - started;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)) * (0.5 + Math.random() / 2);
        const delay = error.retryAfterMs ?? backoff;
        const spent = `${n} ${n === 1 ? 'try' : 'tries'} in ${(elapsed / 1000).toFixed(1)} s`;
        if (n >= attempts) throw new ServiceError(this.service, `${error.message} (gave up after ${spent})`, { cause: error });
        if (elapsed + delay > totalMs) {
          const wait =
            error.retryAfterMs !== undefined
              ? `Retry-After asks for ${Math.ceil(delay / 1000)} s more`
              : `the next try would start after ${((elapsed + delay) / 1000).toFixed(1)} s`;
          throw new ServiceError(
            this.service,
            `${error.message} (gave up after ${spent}: ${wait}, beyond the ${totalMs / 1000} s retry budget)`,
            {
              cause: error,
            },
          );
        }
        this.log(`${this.service}: ${what}: ${error.message}; retrying in ${(delay / 1000).toFixed(1)} s`);
        await sleep(delay);
      }
    }
  }

  private async sendOnce(request: Request): Promise<Answer> {
    let url = request.url;
    let method = request.method;
    let body = request.body;
    let challenged = false;
    for (let hop = 0; ;) {
      this.checkScheme(url);
      const sameOrigin = url.origin === this.origin;
      const headers: Record<string, string> = { ...request.headers };
      // Authorization only ever goes to the registry's own origin, never to a redirect target elsewhere.
      const authorization = sameOrigin ? this.auth.authorizationFor(request.scopes) : undefined;
      if (authorization) headers.Authorization = authorization;
      const answer = await this.fetchOnce(method, url, headers, body, request.stream === true);
      const { status } = answer;
      const what = `${method} ${url.pathname}`;
      if (status === 401 && sameOrigin) {
        await discard(answer);
        if (challenged) throw this.auth.refused(what, status);
        if (authorization) this.auth.forget(request.scopes);
        await this.auth.answerChallenge(answer.headers.get('www-authenticate'), request.scopes, what);
        challenged = true;
        continue;
      }
      if (status === 403 && sameOrigin) {
        const text = await this.textOf(answer);
        throw this.auth.refused(`${what}${registryErrorText(text)}`, status);
      }
      if (isRedirect(status) && request.followRedirects && !request.ok.includes(status)) {
        await discard(answer);
        const location = answer.headers.get('location');
        if (!location) throw new ServiceError(this.service, `${what} answered ${status} without a Location`);
        if (++hop > MAX_REDIRECTS)
          throw new ServiceError(this.service, `${request.method} ${request.url.pathname}: more than ${MAX_REDIRECTS} redirects`);
        url = new URL(location, url);
        if (status === 303) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      if (request.ok.includes(status)) return answer;
      const text = await this.textOf(answer);
      const message = `${what} answered ${status}${registryErrorText(text)}`;
      if (RETRY_STATUSES.has(status)) throw new RetryableFailure(message, retryAfterMs(answer.headers.get('retry-after')));
      throw new ServiceError(this.service, message);
    }
  }

  private async textOf(answer: Answer): Promise<string> {
    if (!answer.body) return answer.bytes.toString('utf8');
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of answer.body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    } catch {
      return '';
    } finally {
      answer.done();
    }
  }

  private async fetchOnce(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Request['body'],
    stream: boolean,
  ): Promise<Answer> {
    const controller = new AbortController();
    // One timer per request, not one per chunk: data only notes the time, and the timer, when it fires,
    // waits again for whatever is left of the timeout since the last data.
    let timer: NodeJS.Timeout | undefined;
    let last = performance.now();
    const check = () => {
      const left = last + this.timeoutMs - performance.now();
      if (left > 0) timer = setTimeout(check, left);
      else controller.abort(new DOMException(`no answer or data for ${this.timeoutMs / 1000} s`, 'TimeoutError'));
    };
    const kick = () => void (last = performance.now());
    const done = () => clearTimeout(timer);
    timer = setTimeout(check, this.timeoutMs);
    const payload = typeof body === 'function' ? body() : body;
    // Uploads: data moving keeps the request alive; a stall longer than the timeout ends it.
    if (payload instanceof Readable) payload.on('data', kick);
    const init = {
      method,
      headers,
      redirect: 'manual',
      signal: controller.signal,
      ...(payload instanceof Readable ? { body: Readable.toWeb(payload), duplex: 'half' } : payload ? { body: payload } : {}),
    };
    try {
      // Blob downloads go over node:http(s): its socket chunks reach the hash and the reader directly, where
      // fetch's web streams cost about a fifth more CPU per byte; every other request uses fetch.
      if (stream && method === 'GET' && payload === undefined) {
        const response = await getStream(url, headers, controller.signal);
        return { status: response.statusCode ?? 0, headers: headersOf(response), url, bytes: Buffer.alloc(0), body: response, kick, done };
      }
      const response = await fetch(url, init as RequestInit);
      if (stream) {
        const body = response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) : null;
        return { status: response.status, headers: response.headers, url, bytes: Buffer.alloc(0), body, kick, done };
      }
      // Small answers: the timeout covers reading the body too.
      const bytes = Buffer.from(await response.arrayBuffer());
      done();
      return { status: response.status, headers: response.headers, url, bytes, body: null, kick: () => {}, done: () => {} };
    } catch (error) {
      done();
      if (error instanceof InputError || error instanceof ServiceError) throw error;
      throw new RetryableFailure(`${method} ${url.pathname} failed: ${describeFailure(error, this.timeoutMs)}`, undefined, {
        cause: error,
      });
    } finally {
      if (payload instanceof Readable) payload.destroy();
    }
  }

  private async requestToken(url: URL, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    const what = `token server ${url.origin}${url.pathname}`;
    return this.withRetries(what, async () => {
      let response: Response;
      let body: string;
      try {
        response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
        body = await response.text();
      } catch (error) {
        throw new RetryableFailure(`${what} failed: ${describeFailure(error, this.timeoutMs)}`, undefined, { cause: error });
      }
      if (RETRY_STATUSES.has(response.status))
        throw new RetryableFailure(`${what} answered ${response.status}`, retryAfterMs(response.headers.get('retry-after')));
      return { status: response.status, body };
    });
  }

  private async readLimited(answer: Answer, limit: number): Promise<Buffer> {
    const declared = Number(answer.headers.get('content-length'));
    if (declared > limit)
      throw new ServiceError(this.service, `${answer.url.pathname} answered ${declared} bytes, more than the ${limit} expected at most`);
    const bytes = answer.bytes;
    if (bytes.length > limit)
      throw new ServiceError(
        this.service,
        `${answer.url.pathname} answered ${bytes.length} bytes, more than the ${limit} expected at most`,
      );
    return bytes;
  }

  /** The `Link: <…>; rel="next"` of a tags page, when it stays on the registry. */
  private nextPage(answer: Answer): URL | undefined {
    const link = answer.headers.get('link');
    if (!link) return undefined;
    for (const part of link.split(/,(?=\s*<)/)) {
      const match = /^\s*<([^>]*)>(.*)$/.exec(part);
      if (!match || !/;\s*rel="?next"?/i.test(match[2])) continue;
      const next = new URL(match[1], answer.url);
      if (next.origin !== this.origin)
        throw new ServiceError(this.service, `the tags list links its next page to another host (${next.origin})`);
      return next;
    }
    return undefined;
  }
}

// ---- small pieces ----

/** A GET whose answer's body is left to read (no Accept-Encoding: blobs travel as they are). */
function getStream(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'GET', headers }, (answer) => {
      response = answer;
      resolve(answer);
    });
    // The abort's reason (the idle timeout) is what the request, or the body being read, fails with.
    signal.addEventListener('abort', () => (response ?? request).destroy(signal.reason as Error), { once: true });
    request.on('error', reject);
    request.end();
  });
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers))
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  return headers;
}

function credentialsFor(registry: string, options: DistributionClientOptions): RegistryCredentials | undefined {
  const password = options.password || (registry === 'ghcr.io' ? options.githubToken : undefined);
  if (!password) {
    if (options.username) throw new InputError(`registry ${registry}: a username ('${options.username}') was given without a password`);
    return undefined;
  }
  // ghcr.io takes any user name with a token as the password.
  return { username: options.username || (registry === 'ghcr.io' ? 'x-access-token' : ''), password };
}

function checkDigest(digest: string): void {
  if (!isDigest(digest)) throw new InputError(`'${digest}' is not a digest: expected 'sha256:' and 64 lowercase hex digits`);
}

function hashFor(digest: string): Hash {
  return createHash(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
}

/** The digest of `bytes` in the algorithm of `like` (`sha256:` or `sha512:…`). */
function digestOf(bytes: Buffer, like: string): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** The tag-schema fallback's tag for a subject: `sha256-<hex>` (distribution-spec "Referrers Tag Schema"). */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-').slice(0, 128);
}

/** Appends `digest=` to an upload Location, keeping its own query (opaque state) byte for byte. */
function withDigest(location: URL, digest: string): URL {
  const href = location.href.split('#')[0];
  return new URL(`${href}${location.search ? '&' : '?'}digest=${encodeURIComponent(digest)}`);
}

/**
 * The caller's bytes, checked against the size they claim as they go (a changed file never goes up as the
 * old blob). Their digest is the registry's to check: it hashes every upload before the blob exists.
 */
async function* checkedContent(
  source: Readable,
  digest: string,
  size: number,
  failed: (error: InputError) => void = () => {},
): AsyncGenerator<Buffer> {
  const fail = (message: string) => {
    const error = new InputError(message);
    failed(error);
    return error;
  };
  let read = 0;
  for await (const chunk of source) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    read += buffer.length;
    if (read > size) throw fail(`content for blob ${digest} is longer than its declared ${size} bytes`);
    yield buffer;
  }
  if (read !== size)
    throw fail(`content for blob ${digest} (${size} bytes) does not match: read ${read} bytes; did the file change during the push?`);
}

/**
 * The next `length` bytes of `pieces.source`, as they come (a piece that crosses the end is cut, its rest
 * kept in `pieces.carry` for the next call). With `last`, the source is read to its end, so that the
 * checks it makes there (digest, size) fail this request rather than pass unseen.
 */
async function* takeBytes(
  pieces: { source: AsyncGenerator<Buffer>; carry: Buffer | undefined },
  length: number,
  last: boolean,
): AsyncGenerator<Buffer> {
  let remaining = length;
  while (remaining > 0) {
    let piece = pieces.carry;
    pieces.carry = undefined;
    if (!piece) {
      const next = await pieces.source.next();
      if (next.done) return;
      piece = next.value;
    }
    if (piece.length > remaining) {
      pieces.carry = piece.subarray(remaining);
      piece = piece.subarray(0, remaining);
    }
    remaining -= piece.length;
    // Large pieces in slices, so that the idle timeout measures progress.
    yield* slicesOf(piece, 1024 * 1024);
  }
  if (last && !pieces.carry) await pieces.source.next();
}

function* slicesOf(buffer: Buffer, size: number): Generator<Buffer> {
  for (let start = 0; start < buffer.length; start += size) yield buffer.subarray(start, start + size);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `: CODE message` from a registry's JSON error body, or the start of a non-JSON body. */
function registryErrorText(body: string): string {
  if (!body.trim()) return '';
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string; detail?: unknown }[] };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      const detail = (e: { detail?: unknown }) => (e.detail === undefined ? '' : ` (${JSON.stringify(e.detail).slice(0, 200)})`);
      return `: ${parsed.errors.map((e) => [e.code, e.message].filter(Boolean).join(' ') + detail(e)).join('; ')}`;
    }
  } catch {
    // not JSON: quote its start
  }
  return `: ${body.trim().slice(0, 200)}`;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out (no answer or data for ${timeoutMs / 1000} s)`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code || cause?.message) return [cause.code, cause.message].filter(Boolean).join(' ');
  return error instanceof Error ? error.message : String(error);
}

function manifestMediaType(contentType: string | null, bytes: Buffer): string {
  const fromHeader = (contentType ?? '').split(';')[0].trim();
  if (fromHeader && fromHeader !== 'application/json' && fromHeader !== 'application/octet-stream') return fromHeader;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    // fall through to the header's type
  }
  return fromHeader || MEDIA_TYPE_MANIFEST;
}

function parseJson(bytes: Buffer, what: string, service: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ServiceError(service, `${what} answered with something other than JSON`);
  }
}

function parseIndex(bytes: Buffer, what: string, service: string): ImageIndex {
  const parsed = parseJson(bytes, what, service) as Partial<ImageIndex>;
  if (parsed?.schemaVersion !== 2 || !Array.isArray(parsed.manifests)) throw new ServiceError(service, `${what} is not an OCI image index`);
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_INDEX,
    manifests: parsed.manifests,
    ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
  };
}
