// The client's behaviour on faults, against a scripted loopback double: retries bounded in count and
// time, timeouts, redirects without Authorization to another host, odd Location and Link headers.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ServiceError } from '../../../shared/errors.js';
import { DistributionRepository, type DistributionClientOptions } from '../../../shared/registry/distribution-client.js';
import { startHttpDouble, type HttpDouble, type RecordedRequest } from '../../services/http-double.js';
import { blob, readAll } from './model-content.js';
import type { ServerResponse } from 'node:http';

const doubles: HttpDouble[] = [];
const FAST_RETRY = { attempts: 3, baseDelayMs: 50, maxDelayMs: 200, totalMs: 10_000 };

afterEach(async () => {
  while (doubles.length) await doubles.pop()!.stop();
});

async function double(handle: (request: RecordedRequest, res: ServerResponse) => void): Promise<HttpDouble> {
  const started = await startHttpDouble(handle);
  doubles.push(started);
  return started;
}

function repositoryAt(d: HttpDouble, options: DistributionClientOptions = {}, host = d.host): DistributionRepository {
  return new DistributionRepository(`oci://${host}/team/iris`, { retry: FAST_RETRY, ...options });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describe('retries and timeouts', () => {
  it('waits as Retry-After asks on 429, then succeeds', async () => {
    let answered = 0;
    const d = await double((_, res) => {
      if (answered++ < 2) json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'Retry-After': '1' });
      else json(res, 200, { name: 'team/iris', tags: ['v1'] });
    });
    const started = Date.now();
    expect(await repositoryAt(d).listTags()).toEqual(['v1']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(d.requests).toHaveLength(3);
  });

  it('gives up on a registry that keeps answering 503 after a bounded number of tries, naming what failed', async () => {
    const d = await double((_, res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'down for maintenance' }] }));
    const error = await failure(repositoryAt(d).listTags());
    expect(error.message).toMatch(
      new RegExp(
        `^registry ${d.host}: GET /v2/team/iris/tags/list answered 503: UNAVAILABLE down for maintenance \\(gave up after 3 tries in [0-9.]+ s\\)$`,
      ),
    );
    expect(d.requests).toHaveLength(3);
  });

  it('does not wait for a Retry-After beyond its time budget', async () => {
    const d = await double((_, res) => json(res, 429, {}, { 'Retry-After': '3600' }));
    const started = Date.now();
    const error = await failure(repositoryAt(d, { retry: { ...FAST_RETRY, totalMs: 5_000 } }).hasBlob(blob(Buffer.from('x')).digest));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toContain('answered 429');
    expect(error.message).toContain('Retry-After asks for 3600 s more, beyond the 5 s retry budget');
    expect(d.requests).toHaveLength(1);
  });

  it('times out a registry that never answers, a bounded number of times', async () => {
    const d = await double(() => {
      // never answers
    });
    const started = Date.now();
    const error = await failure(repositoryAt(d, { timeoutMs: 300, retry: { ...FAST_RETRY, attempts: 2 } }).getManifest('v1'));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.message).toMatch(
      /GET \/v2\/team\/iris\/manifests\/v1 failed: timed out \(no answer or data for 0\.3 s\) \(gave up after 2 tries/,
    );
    expect(d.requests).toHaveLength(2);
  });

  it('times out a blob download whose data stops coming, naming the blob', async () => {
    const content = blob(Buffer.alloc(1000, 1));
    const d = await double((_, res) => {
      res.writeHead(200, { 'Content-Length': String(content.size) });
      res.write(content.bytes.subarray(0, 100)); // then nothing more
    });
    const stream = await repositoryAt(d, { timeoutMs: 300 }).getBlob(content.digest, content.size);
    const error = await failure(readAll(stream));
    expect(error.message).toContain(`download of blob ${content.digest}`);
    expect(error.message).toContain('timed out');
  });

  it('restarts a whole upload (new session) when the registry fails it midway', async () => {
    const content = blob(Buffer.from('weights'));
    let puts = 0;
    const d = await double((request, res) => {
      if (request.method === 'HEAD') return void res.writeHead(404).end();
      if (request.method === 'POST') return void res.writeHead(202, { Location: `/v2/team/iris/blobs/uploads/session-${puts}` }).end();
      if (request.method === 'PUT' && puts++ === 0) return json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'disk hiccup' }] });
      res.writeHead(201, { 'Docker-Content-Digest': content.digest }).end();
    });
    expect(await repositoryAt(d).putBlob(content.digest, content.size, () => Readable.from([content.bytes]))).toEqual({ uploaded: true });
    expect(d.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      `HEAD /v2/team/iris/blobs/${content.digest}`,
      'POST /v2/team/iris/blobs/uploads/',
      'PUT /v2/team/iris/blobs/uploads/session-0',
      'POST /v2/team/iris/blobs/uploads/',
      'PUT /v2/team/iris/blobs/uploads/session-1',
    ]);
    expect(d.requests[4].body.equals(content.bytes)).toBe(true);
  });
});

describe('redirects and headers', () => {
  const CREDENTIALS = { username: 'mlops', password: 'secret' };
  const BASIC = `Basic ${Buffer.from('mlops:secret').toString('base64')}`;

  /** A registry with Basic auth whose blob GETs and HEADs redirect to `target` (or referrers, when asked). */
  async function redirectingRegistry(target: () => string): Promise<HttpDouble> {
    return double((request, res) => {
      if (request.headers.authorization !== BASIC) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="double"' }).end();
      if (request.url.includes('/blobs/') || request.url.includes('/referrers/'))
        return void res.writeHead(307, { Location: target() }).end();
      json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    });
  }

  it('follows a blob redirect to another host without sending Authorization there', async () => {
    const content = blob(Buffer.from('model weights in object storage'));
    const storage = await double((request, res) => {
      if (request.method === 'HEAD') return void res.writeHead(200, { 'Content-Length': String(content.size) }).end();
      res.writeHead(200).end(content.bytes);
    });
    // 127.0.0.1 and localhost are different hosts to the client, as two origins are.
    const registry = await redirectingRegistry(() => `http://localhost:${storage.port}/bucket/blob?signature=abc`);
    const repo = repositoryAt(registry, { ...CREDENTIALS });
    expect(await repo.hasBlob(content.digest)).toBe(true);
    expect((await readAll(await repo.getBlob(content.digest, content.size))).equals(content.bytes)).toBe(true);
    expect(registry.requests.filter((r) => r.headers.authorization === BASIC).length).toBeGreaterThanOrEqual(2);
    expect(storage.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['HEAD', '/bucket/blob?signature=abc', undefined],
      ['GET', '/bucket/blob?signature=abc', undefined],
    ]);
  });

  it('never follows a redirect on the referrers endpoint: it falls back to the tag schema', async () => {
    const elsewhere = await double((_, res) =>
      json(res, 200, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }),
    );
    const registry = await redirectingRegistry(() => `http://localhost:${elsewhere.port}/v2/team/iris/referrers/x`);
    const digest = blob(Buffer.from('subject')).digest;
    expect(await repositoryAt(registry, { ...CREDENTIALS }).referrers(digest)).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
    expect(registry.requests.map((r) => `${r.method} ${r.url}`)).toContain(`GET /v2/team/iris/manifests/sha256-${digest.slice(7)}`);
  });

  it('uses the referrers API where the registry has one, filters by artifact type and writes no tag-schema index', async () => {
    const subject = blob(Buffer.from('subject manifest'), 'application/vnd.oci.image.manifest.v1+json');
    const listed = ['application/vnd.mlops.evaluation.v1+json', 'application/vnd.mlops.metrics.v1+json'].map((artifactType, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: blob(Buffer.from(`referrer ${i}`)).digest,
      size: 100 + i,
      artifactType,
    }));
    const d = await double((request, res) => {
      if (!request.url.startsWith(`/v2/team/iris/referrers/${subject.digest}`)) return json(res, 404, {});
      // This registry ignores the artifactType filter, as the spec allows.
      json(
        res,
        200,
        { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: listed },
        {
          'Content-Type': 'application/vnd.oci.image.index.v1+json',
        },
      );
    });
    const repo = repositoryAt(d);
    expect(await repo.referrers(subject.digest, 'application/vnd.mlops.metrics.v1+json')).toEqual([listed[1]]);
    await repo.addReferrer(subject, listed[0]);
    expect(d.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('refuses a redirect to plain HTTP on a host that is not loopback', async () => {
    const registry = await redirectingRegistry(() => 'http://192.0.2.1/blob');
    const error = await failure(repositoryAt(registry, { ...CREDENTIALS }).hasBlob(blob(Buffer.from('x')).digest));
    expect(error.message).toBe(
      `registry ${registry.host}: refusing http://192.0.2.1: plain HTTP (or http:) is only allowed to loopback hosts`,
    );
  });

  it('keeps an upload Location that is relative and has its own query, adding the digest to it', async () => {
    const content = blob(Buffer.from('layer'));
    const d = await double((request, res) => {
      if (request.method === 'HEAD') return void res.writeHead(404).end();
      if (request.method === 'POST') return void res.writeHead(202, { Location: '../../../../upload/s1?_state=x%3Dy~z' }).end();
      res.writeHead(201, { 'Docker-Content-Digest': content.digest }).end();
    });
    await repositoryAt(d).putBlob(content.digest, content.size, () => Readable.from([content.bytes]));
    const put = d.requests.find((r) => r.method === 'PUT')!;
    expect(put.url).toBe(`/v2/upload/s1?_state=x%3Dy~z&digest=${encodeURIComponent(content.digest)}`);
    expect(put.headers['content-length']).toBe(String(content.size));
    expect(put.body.equals(content.bytes)).toBe(true);
  });

  it('pages tags through Link headers, stopping on a loop', async () => {
    const d = await double((request, res) => {
      const last = new URL(request.url, 'http://x').searchParams.get('last');
      if (!last) json(res, 200, { tags: ['b', 'a'] }, { Link: '</v2/team/iris/tags/list?n=2&last=b>; rel="next"' });
      else if (last === 'b') json(res, 200, { tags: ['c', 'a'] }, { Link: '<tags/list?n=2&last=c>; rel="next"' });
      else json(res, 200, { tags: ['d'] }, { Link: '</v2/team/iris/tags/list?n=2&last=b>; rel="next"' }); // back to page 2
    });
    expect(await repositoryAt(d).listTags()).toEqual(['a', 'b', 'c', 'd']);
    expect(d.requests).toHaveLength(3);
  });

  it('refuses a tags Link to another host', async () => {
    const d = await double((_, res) =>
      json(res, 200, { tags: ['a'] }, { Link: '<http://localhost:1/v2/team/iris/tags/list?last=a>; rel="next"' }),
    );
    const error = await failure(repositoryAt(d).listTags());
    expect(error.message).toContain('links its next page to another host (http://localhost:1)');
  });
});
