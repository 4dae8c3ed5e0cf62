// A loopback Sigstore and GitHub Actions OIDC provider, for signing tests: @sigstore/mock's Fulcio
// (a CA that certifies the token's identity), Rekor (a transparency log) and TSA (RFC 3161 timestamps)
// served on 127.0.0.1, beside the runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) and an OIDC
// issuer whose JWKS verifies the tokens it hands out, as token.actions.githubusercontent.com does.
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, initializeTSA, rekorHandler, tsaHandler } from '@sigstore/mock';
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { startHttpDouble, type HttpDouble, type RecordedRequest } from './http-double.js';

/** The claims GitHub puts in a job's OIDC token (the ones @actions/attest requires, and a few more). */
export type JobClaims = Record<string, string>;

export interface SigstoreDouble {
  /** http://127.0.0.1:PORT: Fulcio, Rekor, TSA and the OIDC issuer all live here. */
  url: string;
  /** The value of MLOPS_TEST_SIGSTORE that points signing here. */
  endpointsJson: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN, as the runner sets them for a job with `id-token: write`. */
  tokenEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** Every request the double answered (token requests, Fulcio, Rekor, TSA). */
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** The claims of a push to `main` of `repository` (owner/name) at `sha`, run `runId`, as GitHub issues them. */
export function jobClaims(repository: string, sha: string, runId: string): JobClaims {
  const [owner] = repository.split('/');
  return {
    sub: `repo:${repository}:ref:refs/heads/main`,
    ref: 'refs/heads/main',
    sha,
    repository,
    repository_owner: owner!,
    repository_id: '123456',
    repository_owner_id: '654321',
    repository_visibility: 'private',
    event_name: 'push',
    workflow: 'train',
    workflow_ref: `${repository}/.github/workflows/train.yml@refs/heads/main`,
    workflow_sha: sha,
    job_workflow_ref: `${repository}/.github/workflows/train.yml@refs/heads/main`,
    job_workflow_sha: sha,
    runner_environment: 'github-hosted',
    run_id: runId,
    run_number: '7',
    run_attempt: '1',
    actor: 'octocat',
  };
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** Starts the double on 127.0.0.1; its tokens carry `claims` (iss, aud, iat, exp added). */
export async function startSigstoreDouble(claims: JobClaims, options: { tsa?: boolean; rekor?: boolean } = {}): Promise<SigstoreDouble> {
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const oidcKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const requestToken = randomBytes(16).toString('hex');
  let url = '';
  type Handler = (body: string) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }>;
  const handlers = new Map<string, Handler>();
  const double: HttpDouble = await startHttpDouble((request, res) => {
    const path = new URL(request.url, 'http://x').pathname;
    const query = new URL(request.url, 'http://x').searchParams;
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'GET' && path === '/.well-known/openid-configuration')
      return json(200, { issuer: url, jwks_uri: `${url}/jwks` });
    if (request.method === 'GET' && path === '/jwks')
      return json(200, { keys: [{ ...oidcKey.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    if (request.method === 'GET' && path === '/token') {
      // The runner's token service: the request token as a bearer, the audience as a query parameter.
      if (request.headers.authorization !== `Bearer ${requestToken}`) return json(401, { message: 'bad request token' });
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt(
        { ...claims, iss: url, aud: query.get('audience') ?? url, iat: now, nbf: now - 5, exp: now + 300 },
        oidcKey.privateKey,
        kid,
      );
      return json(200, { value: token });
    }
    const handler = request.method === 'POST' ? handlers.get(path) : undefined;
    if (!handler) return json(404, { message: `no ${request.method} ${path} here` });
    handler(request.body.toString('utf8')).then(
      ({ statusCode, response, contentType }) => {
        res.writeHead(statusCode, { 'content-type': contentType ?? 'text/plain' }).end(response);
      },
      (error: Error) => json(500, { message: error.message }),
    );
  });
  url = `http://${double.host}`;
  const ctlog = await initializeCTLog(signingKey);
  const fulcio = fulcioHandler(await initializeCA(signingKey, ctlog), { strict: true });
  const rekor = rekorHandler(await initializeTLog(url, signingKey), { strict: true });
  const tsa = tsaHandler(await initializeTSA(signingKey), { strict: true });
  handlers.set(fulcio.path, fulcio.fn);
  if (options.rekor !== false) handlers.set(rekor.path, rekor.fn);
  if (options.tsa !== false) handlers.set(tsa.path, tsa.fn);
  return {
    url,
    endpointsJson: JSON.stringify({
      fulcio: url,
      ...(options.rekor !== false ? { rekor: url } : {}),
      ...(options.tsa !== false ? { tsa: url } : {}),
      oidcIssuer: url,
    }),
    tokenEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    requests: double.requests,
    stop: () => double.stop(),
  };
}
