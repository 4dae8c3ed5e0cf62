// The real @actions/cache and @actions/artifact clients, through GitHubRuntime, against the loopback
// results-service double (Twirp JSON checked against the clients' generated message types) and
// Azurite for the blobs: the path every run inside GitHub Actions takes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ServiceError } from '../../../shared/errors.js';
import { GitHubRuntime } from '../../../shared/runtime/github.js';
import { startResultsServiceDouble, type ResultsServiceDouble } from '../../results-service-double/server.js';

let double: ResultsServiceDouble;
let workspace: string;
let temp: string;
let stdout: string[];
const savedEnv = { ...process.env };

beforeAll(async () => {
  double = await startResultsServiceDouble();
}, 60_000);

afterAll(async () => {
  await double?.close();
});

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'actions-services-ws-'));
  temp = mkdtempSync(join(tmpdir(), 'actions-services-tmp-'));
  Object.assign(process.env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/ml-repo',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ACTIONS_RUNTIME_TOKEN: double.runtimeToken,
    ACTIONS_RESULTS_URL: double.url,
    ACTIONS_CACHE_SERVICE_V2: 'true',
    // Bounded: a stuck download segment is abandoned after a minute, a stalled artifact chunk after 20 s.
    SEGMENT_DOWNLOAD_TIMEOUT_MINS: '1',
    ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS: '20000',
  });
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  rmSync(workspace, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
  expect(double.violations).toEqual([]);
});

/** Workflow commands (`::warning::…`) the runtime wrote, as [level, message]. */
function annotations(): Array<[string, string]> {
  return stdout
    .join('')
    .split('\n')
    .map((line) => /^::(error|warning|notice)[^:]*::(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!.replace(/%0A/g, '\n').replace(/%25/g, '%')]);
}

function writeModel(bytes: Buffer): void {
  mkdirSync(join(workspace, 'model'), { recursive: true });
  writeFileSync(join(workspace, 'model', 'model.onnx'), bytes);
  writeFileSync(join(workspace, 'model', 'model.onnx.data'), bytes.subarray(0, 1000));
}

describe('GitHubRuntime with the Actions cache (results service v2, blobs in Azurite)', () => {
  it('saves, then restores the same bytes after the files are gone', async () => {
    const bytes = randomBytes(300_000);
    writeModel(bytes);
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache([join(workspace, 'model')], 'mlops-train-save-restore')).toBe(true);
    expect(
      double.calls
        .filter((c) => c.method.startsWith('CacheService/'))
        .map((c) => c.method)
        .slice(-2),
    ).toEqual(['CacheService/CreateCacheEntry', 'CacheService/FinalizeCacheEntryUpload']);

    rmSync(join(workspace, 'model'), { recursive: true });
    expect(await runtime.restoreCache([join(workspace, 'model')], 'mlops-train-save-restore')).toBe('mlops-train-save-restore');
    expect(readFileSync(join(workspace, 'model', 'model.onnx')).equals(bytes)).toBe(true);
    expect(readFileSync(join(workspace, 'model', 'model.onnx.data')).equals(bytes.subarray(0, 1000))).toBe(true);
    expect(annotations()).toEqual([]);
  });

  it('restores by prefix, and misses (undefined, no warning) when nothing matches', async () => {
    writeModel(randomBytes(1000));
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache([join(workspace, 'model')], 'mlops-train-prefix-1')).toBe(true);
    expect(await runtime.restoreCache([join(workspace, 'model')], 'mlops-train-prefix-2', ['mlops-train-prefix-'])).toBe(
      'mlops-train-prefix-1',
    );
    expect(await runtime.restoreCache([join(workspace, 'model')], 'mlops-train-nothing-like-it')).toBeUndefined();
    expect(double.calls.at(-1)).toMatchObject({ method: 'CacheService/GetCacheEntryDownloadURL', status: 200 });
    expect(annotations()).toEqual([]);
  });

  it('returns false and says so when the service refuses the save (another job is saving the key)', async () => {
    writeModel(randomBytes(1000));
    double.refuseCacheSaves('cache entry is being created by another job');
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache([join(workspace, 'model')], 'mlops-train-refused')).toBe(false);
    expect(annotations()).toEqual([
      ['warning', 'Cache reservation failed: cache entry is being created by another job'],
      [
        'warning',
        'The Actions cache did not store mlops-train-refused (see the message above); a later run with the same key will not find it.',
      ],
    ]);
    expect(await runtime.restoreCache([join(workspace, 'model')], 'mlops-train-refused')).toBeUndefined();
  });

  it('fails soft when the upload is cut off midway: false, a warning, nothing to restore', async () => {
    writeModel(randomBytes(2_000_000));
    double.cutUploads(64 * 1024);
    try {
      const runtime = new GitHubRuntime();
      expect(await runtime.saveCache([join(workspace, 'model')], 'mlops-train-cut')).toBe(false);
      expect(annotations().map(([level]) => level)).not.toContain('error');
      expect(annotations().at(-1)).toEqual([
        'warning',
        'The Actions cache did not store mlops-train-cut (see the message above); a later run with the same key will not find it.',
      ]);
      expect(await runtime.restoreCache([join(workspace, 'model')], 'mlops-train-cut')).toBeUndefined();
    } finally {
      double.cutUploads(0, 0);
    }
  }, 120_000);
});

/** A ustar archive of `members` (a member with `link` is a symbolic link), as someone forging an entry would write it. */
function tarOf(members: Array<{ name: string; data?: string; link?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, data = '', link } of members) {
    const header = Buffer.alloc(512);
    const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'utf8');
    field(0, 100, name);
    field(100, 8, '0000644\0');
    field(108, 8, '0000000\0');
    field(116, 8, '0000000\0');
    field(124, 12, `${(link ? 0 : Buffer.byteLength(data)).toString(8).padStart(11, '0')}\0`);
    field(136, 12, '00000000000\0');
    field(148, 8, '        ');
    field(156, 1, link ? '2' : '0');
    if (link) field(157, 100, link);
    field(257, 8, 'ustar\x0000');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header);
    if (!link && data.length > 0) {
      const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
      body.write(data);
      blocks.push(body);
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Compressed as the entry it replaces was (zstd when the runner has it, else gzip). */
function compressedLike(original: Buffer, tar: Buffer): Buffer {
  if (original.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return execFileSync('zstd', ['-q', '-c'], { input: tar });
  return gzipSync(tar);
}

describe('GitHubRuntime restoring a forged Actions cache entry', () => {
  // The entry's tar runs as @actions/cache runs it (-P: absolute names, `..`, writes through links).
  it.each([
    [
      'an absolute member name',
      (outside: string) => [
        { name: 'model/model.onnx', data: 'ok' },
        { name: `${outside}/planted.txt`, data: 'pwned' },
      ],
    ],
    [
      'a member name with ..',
      () => [
        { name: 'model/model.onnx', data: 'ok' },
        { name: '../planted.txt', data: 'pwned' },
      ],
    ],
    [
      'a symbolic link written through',
      (outside: string) => [
        { name: 'model/model.onnx', data: 'ok' },
        { name: 'model/out', link: outside },
        { name: 'model/out/planted.txt', data: 'pwned' },
      ],
    ],
    [
      'a symbolic link out',
      (outside: string) => [
        { name: 'model/model.onnx', data: 'ok' },
        { name: 'model/out', link: outside },
      ],
    ],
  ])('writes nothing outside and restores nothing for %s', async (_, members) => {
    const outside = join(temp, 'outside');
    mkdirSync(outside);
    writeModel(randomBytes(1000));
    const runtime = new GitHubRuntime();
    const key = `mlops-train-forged-${double.cacheEntries.length}`;
    expect(await runtime.saveCache([join(workspace, 'model')], key)).toBe(true);
    const entry = double.cacheEntries.find((e) => e.key === key)!;
    const forged = tarOf(members(outside));
    await double.replaceBlob(entry.blob, compressedLike(await double.blobBytes(entry.blob), forged));
    rmSync(join(workspace, 'model'), { recursive: true });

    expect(await runtime.restoreCache([join(workspace, 'model')], key)).toBeUndefined();
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(workspace, '..', 'planted.txt'))).toBe(false);
    expect(readdirSync(workspace)).toEqual([]);
    expect(annotations().map(([level]) => level)).toEqual(['warning']);
  });

  it('still restores an honest entry, moved out of its private folder', async () => {
    writeModel(Buffer.from('weights'));
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache([join(workspace, 'model')], 'mlops-train-honest')).toBe(true);
    rmSync(join(workspace, 'model'), { recursive: true });
    expect(await runtime.restoreCache([join(workspace, 'model')], 'mlops-train-honest')).toBe('mlops-train-honest');
    expect(readFileSync(join(workspace, 'model', 'model.onnx'), 'utf8')).toBe('weights');
    expect(readdirSync(temp).filter((name) => name.startsWith('mlops-cache-'))).toEqual([]);
    expect(process.env.GITHUB_WORKSPACE).toBe(workspace);
  });
});

describe('GitHubRuntime with Actions artifacts (results service, blobs in Azurite)', () => {
  it('uploads an artifact that DefaultArtifactClient lists and downloads again, byte for byte', async () => {
    const bytes = randomBytes(500_000);
    mkdirSync(join(workspace, 'out', 'nested'), { recursive: true });
    writeFileSync(join(workspace, 'out', 'report.md'), '# evaluate\n');
    writeFileSync(join(workspace, 'out', 'nested', 'model.onnx'), bytes);
    const runtime = new GitHubRuntime();
    const stored = await runtime.uploadArtifact('evaluate-report', ['report.md', 'nested/model.onnx'], join(workspace, 'out'));
    expect(stored.id).toBeGreaterThan(0);
    expect(stored.location).toBe(`artifact evaluate-report (id ${stored.id})`);

    const { DefaultArtifactClient } = await import('@actions/artifact');
    const client = new DefaultArtifactClient();
    const { artifacts } = await client.listArtifacts();
    expect(artifacts).toEqual([expect.objectContaining({ name: 'evaluate-report', id: stored.id })]);
    const target = join(temp, 'download');
    await client.downloadArtifact(stored.id!, { path: target });
    expect(readFileSync(join(target, 'report.md'), 'utf8')).toBe('# evaluate\n');
    expect(readFileSync(join(target, 'nested', 'model.onnx')).equals(bytes)).toBe(true);
    expect(double.calls.map((c) => c.method)).toEqual(
      expect.arrayContaining([
        'ArtifactService/CreateArtifact',
        'ArtifactService/FinalizeArtifact',
        'ArtifactService/ListArtifacts',
        'ArtifactService/GetSignedArtifactURL',
      ]),
    );
  });

  it('fails hard when the upload is cut off midway, and no artifact is listed', async () => {
    writeFileSync(join(workspace, 'big.bin'), randomBytes(3_000_000));
    double.cutUploads(64 * 1024);
    try {
      const failure = await new GitHubRuntime().uploadArtifact('cut-off', ['big.bin'], workspace).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure).toBeInstanceOf(ServiceError);
      expect(failure?.message).toMatch(/^GitHub Actions artifacts: uploading artifact cut-off \(1 file\) failed: \S/);
    } finally {
      double.cutUploads(0, 0);
    }
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const { artifacts } = await new DefaultArtifactClient().listArtifacts();
    expect(artifacts.map((a) => a.name)).not.toContain('cut-off');
  }, 120_000);
});

describe('the results-service double', () => {
  async function post(method: string, body: string, token = double.runtimeToken): Promise<{ status: number; json: unknown }> {
    const response = await fetch(new URL(`twirp/github.actions.results.api.v1.${method}`, double.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, json: await response.json() };
  }

  it('refuses what the real service would: an unknown field, a wrong type, an unknown method, a wrong token', async () => {
    expect(await post('CacheService/CreateCacheEntry', JSON.stringify({ key: 'k', version: 'v', extra: 1 }))).toMatchObject({
      status: 400,
      json: { code: 'malformed' },
    });
    expect(await post('CacheService/CreateCacheEntry', JSON.stringify({ key: 7, version: 'v' }))).toMatchObject({
      status: 400,
      json: { code: 'malformed' },
    });
    expect(await post('CacheService/DeleteCacheEntry', '{}')).toMatchObject({ status: 404, json: { code: 'bad_route' } });
    expect(await post('CacheService/CreateCacheEntry', JSON.stringify({ key: 'k', version: 'v' }), 'forged')).toMatchObject({
      status: 401,
      json: { code: 'unauthenticated' },
    });
    expect(double.violations.splice(0).map((v) => v.message)).toEqual([
      expect.stringContaining('github.actions.results.api.v1.CreateCacheEntryRequest'),
      expect.stringContaining('github.actions.results.api.v1.CreateCacheEntryRequest'),
      'CacheService/DeleteCacheEntry is not a method of the results service',
      expect.stringContaining('authorization must be "Bearer <ACTIONS_RUNTIME_TOKEN>"'),
    ]);
  });
});
