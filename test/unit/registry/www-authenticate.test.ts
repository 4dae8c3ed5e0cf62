import { describe, expect, it } from '@jest/globals';
import { parseWwwAuthenticate } from '../../../shared/registry/www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('keeps the commas inside a quoted scope', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:team/iris:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:team/iris:pull,push' } },
    ]);
  });

  it('reads Basic challenges, spaces around = and commas, and unquoted values', () => {
    expect(parseWwwAuthenticate('Basic realm="mlops test"')).toEqual([{ scheme: 'basic', params: { realm: 'mlops test' } }]);
    expect(parseWwwAuthenticate('basic Realm = registry , charset=UTF-8')).toEqual([
      { scheme: 'basic', params: { realm: 'registry', charset: 'UTF-8' } },
    ]);
  });

  it('splits several challenges in one header, with and without parameters', () => {
    expect(parseWwwAuthenticate('Negotiate, Basic realm="a,b", Bearer realm="https://auth/token",scope="x:y:pull"')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'a,b' } },
      { scheme: 'bearer', params: { realm: 'https://auth/token', scope: 'x:y:pull' } },
    ]);
  });

  it('unescapes backslashes in quoted values and keeps a token68', () => {
    expect(parseWwwAuthenticate('Bearer realm="say \\"hi\\"", error="insufficient_scope"')).toEqual([
      { scheme: 'bearer', params: { realm: 'say "hi"', error: 'insufficient_scope' } },
    ]);
    expect(parseWwwAuthenticate('Custom abc123==, Basic realm=x')).toEqual([
      { scheme: 'custom', params: {}, token68: 'abc123==' },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('returns nothing for an empty header and survives an unterminated quote', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('Bearer realm="https://x/token')).toEqual([{ scheme: 'bearer', params: { realm: 'https://x/token' } }]);
  });
});
