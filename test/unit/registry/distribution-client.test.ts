// The client's choices that need no registry: HTTPS for every host but loopback, ghcr.io credentials.
// fetch is replaced by a stub here, so nothing leaves the process.
import { afterEach, describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { DistributionRepository } from '../../../shared/registry/distribution-client.js';

const DIGEST = `sha256:${'b2'.repeat(32)}`;
const original = globalThis.fetch;

afterEach(() => {
  globalThis.fetch = original;
});

function stubFetch(answer: (url: URL, init: RequestInit) => Response): { url: URL; headers: Headers }[] {
  const calls: { url: URL; headers: Headers }[] = [];
  globalThis.fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, headers: new Headers(init.headers) });
    return answer(url, init);
  }) as typeof fetch;
  return calls;
}

describe('DistributionRepository without a registry', () => {
  it('speaks HTTPS to every host but loopback', async () => {
    const calls = stubFetch(() => new Response(null, { status: 404 }));
    expect(await new DistributionRepository('oci://registry.example.com:5000/team/iris').hasBlob(DIGEST)).toBe(false);
    expect(await new DistributionRepository('oci://localhost:5000/team/iris').hasBlob(DIGEST)).toBe(false);
    expect(calls.map((c) => c.url.href)).toEqual([
      `https://registry.example.com:5000/v2/team/iris/blobs/${DIGEST}`,
      `http://localhost:5000/v2/team/iris/blobs/${DIGEST}`,
    ]);
  });

  it('uses the github-token as the password on ghcr.io, at the token server its challenge names', async () => {
    const calls = stubFetch((url, init) => {
      const authorization = new Headers(init.headers).get('authorization');
      if (url.pathname === '/token') return Response.json({ token: 'ghcr-token' });
      if (authorization !== 'Bearer ghcr-token') {
        return new Response(null, {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/iris:pull"' },
        });
      }
      return Response.json({ name: 'acme/iris', tags: ['v1'] });
    });
    const repo = new DistributionRepository('oci://ghcr.io/acme/iris', { githubToken: 'gh-secret' });
    expect(await repo.listTags()).toEqual(['v1']);
    const token = calls.find((c) => c.url.pathname === '/token')!;
    expect(token.headers.get('authorization')).toBe(`Basic ${Buffer.from('x-access-token:gh-secret').toString('base64')}`);
    expect(token.url.searchParams.getAll('scope')).toEqual(['repository:acme/iris:pull']);
  });

  it('refuses a username without a password, and a malformed digest or tag, before any request', () => {
    const calls = stubFetch(() => new Response(null, { status: 500 }));
    expect(() => new DistributionRepository('oci://registry.example.com/team/iris', { username: 'me' })).toThrow(InputError);
    const repo = new DistributionRepository('oci://registry.example.com/team/iris');
    return Promise.all([
      expect(repo.hasBlob('sha256:short')).rejects.toThrow("'sha256:short' is not a digest"),
      expect(repo.getManifest('no spaces')).rejects.toThrow(InputError),
      expect(repo.deleteTag('.hidden')).rejects.toThrow(InputError),
    ]).then(() => expect(calls).toEqual([]));
  });
});
