import { InputError, ServiceError } from '../errors.js';
import { isLoopbackRegistry } from './registry-reference.js';
import { parseWwwAuthenticate, type AuthChallenge } from './www-authenticate.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** How the auth flow sends its token request: the client's timeout, retries and error naming apply. */
export type TokenRequest = (url: URL, headers: Record<string, string>) => Promise<{ status: number; body: string }>;

interface CachedToken {
  authorization: string;
  expiresAt: number;
}

// The distribution token spec's default lifetime when the token server gives none.
const DEFAULT_TOKEN_SECONDS = 60;
// Renew a little early, so a token does not expire between our check and the registry's.
const EXPIRY_MARGIN_MS = 5_000;

/**
 * The registry auth flow (distribution token spec): answers a 401's `WWW-Authenticate` challenge with
 * Basic credentials or a Bearer token fetched from the challenge's realm, and caches tokens per scope
 * until their `expires_in`, so later requests send them up front.
 */
export class RegistryAuth {
  private readonly tokens = new Map<string, CachedToken>();
  private basic = false;

  constructor(
    private readonly registry: string,
    private readonly credentials: RegistryCredentials | undefined,
    private readonly requestToken: TokenRequest,
  ) {}

  /** The Authorization header to send up front for these scopes, when an earlier challenge told us how. */
  authorizationFor(scopes: string[]): string | undefined {
    if (this.basic && this.credentials) return basicAuthorization(this.credentials);
    const cached = this.tokens.get(scopeKey(scopes));
    if (cached && cached.expiresAt > Date.now()) return cached.authorization;
    return undefined;
  }

  /** Forgets a token the registry refused (revoked, or its scope no longer enough). */
  forget(scopes: string[]): void {
    this.tokens.delete(scopeKey(scopes));
  }

  /**
   * Answers a 401 from `what` (e.g. `GET /v2/team/iris/tags/list`): returns the Authorization header to
   * retry with. Throws an InputError when credentials are missing or refused, a ServiceError when the
   * challenge or the token server is broken.
   */
  async answerChallenge(header: string | null, scopes: string[], what: string): Promise<string> {
    const challenges = parseWwwAuthenticate(header ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) return this.fetchToken(bearer, scopes, what);
    if (basic) {
      if (!this.credentials) throw this.needsCredentials(what);
      this.basic = true;
      return basicAuthorization(this.credentials);
    }
    throw new ServiceError(
      `registry ${this.registry}`,
      `${what} answered 401 without a Basic or Bearer challenge (WWW-Authenticate: ${JSON.stringify(header ?? '')})`,
    );
  }

  /** The error for a registry that refused a request we had just authorised. */
  refused(what: string, status: number): InputError {
    if (!this.credentials) return this.needsCredentials(what);
    return new InputError(
      `registry ${this.registry} refused ${what} for user '${this.credentials.username}' (${status}): check the username and password (or token) and that the user may access this repository`,
    );
  }

  private needsCredentials(what: string): InputError {
    return new InputError(
      `registry ${this.registry} requires credentials for ${what}: give a username and password (for ghcr.io, the github-token)`,
    );
  }

  private async fetchToken(challenge: AuthChallenge, scopes: string[], what: string): Promise<string> {
    const service = `registry ${this.registry}`;
    const realm = challenge.params.realm;
    if (!realm) throw new ServiceError(service, `${what} answered with a Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new ServiceError(service, `${what} answered with a Bearer challenge whose realm '${realm}' is not a URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackRegistry(url.host))) {
      throw new ServiceError(service, `refusing the token server ${url.origin}: plain HTTP is only allowed to loopback hosts`);
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    // The challenge's scope plus ours: one token then serves every request of this kind.
    for (const scope of mergeScopes([...(challenge.params.scope ?? '').split(' ').filter(Boolean), ...scopes]))
      url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (this.credentials) headers.Authorization = basicAuthorization(this.credentials);
    const answer = await this.requestToken(url, headers);
    if (answer.status === 401 || answer.status === 403) {
      if (!this.credentials) throw this.needsCredentials(what);
      throw new InputError(
        `registry ${this.registry}: its token server ${url.origin}${url.pathname} refused the credentials of user '${this.credentials.username}' (${answer.status}): check the username and password (or token)`,
      );
    }
    if (answer.status !== 200) {
      throw new ServiceError(service, `token server ${url.origin}${url.pathname} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      throw new ServiceError(service, `token server ${url.origin}${url.pathname} answered with something other than JSON`);
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token;
    if (typeof token !== 'string' || !token)
      throw new ServiceError(service, `token server ${url.origin}${url.pathname} answered without a token`);
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS;
    const authorization = `Bearer ${token}`;
    this.tokens.set(scopeKey(scopes), { authorization, expiresAt: Date.now() + seconds * 1000 - EXPIRY_MARGIN_MS });
    return authorization;
  }
}

/** `repository:a:push,pull` and `repository:a:pull` → `repository:a:pull,push`: one scope per resource, actions sorted. */
export function mergeScopes(scopes: string[]): string[] {
  const actions = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const colon = scope.lastIndexOf(':');
    // A scope without actions is passed on as it is.
    const resource = colon > 0 ? scope.slice(0, colon) : scope;
    const set = actions.get(resource) ?? new Set<string>();
    if (colon > 0) for (const action of scope.slice(colon + 1).split(',')) if (action) set.add(action);
    actions.set(resource, set);
  }
  return [...actions].map(([resource, set]) => (set.size ? `${resource}:${[...set].sort().join(',')}` : resource));
}

function scopeKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}

function basicAuthorization({ username, password }: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
