import { describe, expect, it } from '@jest/globals';
import { InputError, ServiceError } from '../../../shared/errors.js';
import { mergeScopes, RegistryAuth } from '../../../shared/registry/registry-auth.js';

const CHALLENGE = 'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/iris:push,pull"';

function authWith(answer: { status: number; body: string }, credentials = { username: 'u', password: 'p' }) {
  const calls: { url: URL; headers: Record<string, string> }[] = [];
  const auth = new RegistryAuth('registry.example.com', credentials, async (url, headers) => {
    calls.push({ url, headers });
    return answer;
  });
  return { auth, calls };
}

describe('RegistryAuth', () => {
  it('fetches a token for the merged scopes with Basic credentials and caches it per scope', async () => {
    const { auth, calls } = authWith({ status: 200, body: JSON.stringify({ token: 'abc', expires_in: 300 }) });
    const scopes = ['repository:team/iris:pull,push'];
    expect(auth.authorizationFor(scopes)).toBeUndefined();
    expect(await auth.answerChallenge(CHALLENGE, scopes, 'POST /v2/team/iris/blobs/uploads/')).toBe('Bearer abc');
    expect(calls).toHaveLength(1);
    expect(calls[0].url.origin + calls[0].url.pathname).toBe('https://auth.example.com/token');
    expect(calls[0].url.searchParams.get('service')).toBe('registry.example.com');
    expect(calls[0].url.searchParams.getAll('scope')).toEqual(['repository:team/iris:pull,push']);
    expect(calls[0].headers.Authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(auth.authorizationFor(scopes)).toBe('Bearer abc');
    expect(auth.authorizationFor(['repository:team/iris:pull'])).toBeUndefined();
    auth.forget(scopes);
    expect(auth.authorizationFor(scopes)).toBeUndefined();
  });

  it('does not reuse a token past its expires_in (access_token accepted too)', async () => {
    const { auth } = authWith({ status: 200, body: JSON.stringify({ access_token: 'short', expires_in: 5 }) });
    expect(await auth.answerChallenge(CHALLENGE, ['repository:team/iris:pull'], 'GET x')).toBe('Bearer short');
    expect(auth.authorizationFor(['repository:team/iris:pull'])).toBeUndefined();
  });

  it('turns refused credentials into an InputError and a broken token server into a ServiceError', async () => {
    await expect(authWith({ status: 401, body: '' }).auth.answerChallenge(CHALLENGE, [], 'GET x')).rejects.toThrow(InputError);
    await expect(authWith({ status: 500, body: 'oops' }).auth.answerChallenge(CHALLENGE, [], 'GET x')).rejects.toThrow(ServiceError);
    await expect(authWith({ status: 200, body: '{}' }).auth.answerChallenge(CHALLENGE, [], 'GET x')).rejects.toThrow(
      'answered without a token',
    );
    await expect(
      authWith({ status: 200, body: '' }).auth.answerChallenge('Bearer realm="http://10.0.0.1/token"', [], 'GET x'),
    ).rejects.toThrow('plain HTTP is only allowed to loopback hosts');
    await expect(authWith({ status: 200, body: '' }).auth.answerChallenge('Digest realm="x"', [], 'GET x')).rejects.toThrow(
      'without a Basic or Bearer challenge',
    );
  });

  it('answers a Basic challenge with the credentials and sends them up front afterwards', async () => {
    const { auth, calls } = authWith({ status: 200, body: '' });
    expect(await auth.answerChallenge('Basic realm="r"', ['any'], 'GET x')).toMatch(/^Basic /);
    expect(auth.authorizationFor(['other'])).toMatch(/^Basic /);
    expect(calls).toEqual([]);
  });
});

describe('mergeScopes', () => {
  it('merges the actions of one resource and sorts them', () => {
    expect(mergeScopes(['repository:a/b:push,pull', 'repository:a/b:pull', 'repository:c:pull', 'registry:catalog:*'])).toEqual([
      'repository:a/b:pull,push',
      'repository:c:pull',
      'registry:catalog:*',
    ]);
  });
});
