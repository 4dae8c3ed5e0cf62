// A loopback token server for the registry's Bearer flow (distribution's token auth spec): answers
// `GET /token?service=…&scope=…` with Basic credentials by a JWT the registry trusts. Registry 2.8
// verifies a token by its `x5c` header (a certificate chaining to `auth.token.rootcertbundle`), its
// issuer and audience, and its `access` claim; ES256 signatures are raw r||s as JOSE wants.
import { execFileSync } from 'node:child_process';
import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TokenRequestRecord {
  user?: string;
  service?: string;
  scopes: string[];
  status: number;
}

export interface RegistryTokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the certificate the registry trusts (auth.token.rootcertbundle). */
  certificatePath: string;
  /** Every request answered, in order: tests count them to check token caching. */
  requests: TokenRequestRecord[];
  /** Seconds each token lives (expires_in). */
  expiresIn: number;
  stop(): Promise<void>;
}

const ISSUER = 'mlops-test-token-server';
const SERVICE = 'mlops-test-registry';

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Makes an EC P-256 key and a self-signed certificate for it in `dir` (openssl: node:crypto cannot issue certificates). */
function makeSigningKey(dir: string): { keyPath: string; certificatePath: string } {
  const keyPath = join(dir, 'token-key.pem');
  const certificatePath = join(dir, 'token-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${ISSUER}`,
      '-keyout',
      keyPath,
      '-out',
      certificatePath,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
  );
  return { keyPath, certificatePath };
}

/** `repository:team/iris:pull,push` → the JWT access entry granting those actions. */
function accessFor(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const parts = scope.split(':');
  if (parts.length < 3) return undefined;
  const actions = parts.pop()!.split(',').filter(Boolean);
  const type = parts.shift()!;
  return { type, name: parts.join(':'), actions };
}

/**
 * Starts the token server on 127.0.0.1 with one user. Keys and certificate go to `dir`. Anonymous
 * requests and wrong passwords get 401, as a real token server answers them.
 */
export async function startRegistryTokenServer(
  dir: string,
  user: { username: string; password: string },
  expiresIn = 300,
): Promise<RegistryTokenServer> {
  const { keyPath, certificatePath } = makeSigningKey(dir);
  const key = readFileSync(keyPath, 'utf8');
  const certificate = new X509Certificate(readFileSync(certificatePath));
  const requests: TokenRequestRecord[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
    const service = url.searchParams.get('service') ?? undefined;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [name, ...rest] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    const authorised = name === user.username && rest.join(':') === user.password;
    const answer = (status: number, body: unknown) => {
      requests.push({ ...(name !== undefined ? { user: name } : {}), ...(service ? { service } : {}), scopes, status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return answer(404, { errors: [{ code: 'NOT_FOUND' }] });
    if (!authorised) return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certificate.raw.toString('base64')] };
    const claims = {
      iss: ISSUER,
      sub: user.username,
      aud: service ?? SERVICE,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: scopes.map(accessFor).filter((a) => a !== undefined),
    };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signed), { key, dsaEncoding: 'ieee-p1363' });
    answer(200, { token: `${signed}.${base64url(signature)}`, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: SERVICE,
    issuer: ISSUER,
    certificatePath,
    requests,
    expiresIn,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
