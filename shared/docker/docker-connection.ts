import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { InputError } from '../errors.js';

/** The engine client, for modules outside shared/docker (only this folder imports dockerode). */
export type DockerClient = Dockerode;

/**
 * A Dockerode client for `docker-host` (unix:///path, tcp://host:port, ssh://user@host[:port]) or, when
 * it is not given, for DOCKER_HOST as the docker CLI reads it. tcp uses TLS when DOCKER_TLS_VERIFY is set,
 * with the certificates in DOCKER_CERT_PATH (default ~/.docker). Throws InputError for another scheme.
 */
export function connectDocker(dockerHost?: string): Dockerode {
  if (!dockerHost) return new Dockerode();
  let url: URL;
  try {
    url = new URL(dockerHost);
  } catch {
    throw new InputError(
      `docker-host: '${dockerHost}' is not a Docker endpoint; expected unix:///path, tcp://host:port or ssh://user@host`,
    );
  }
  if (url.protocol === 'unix:') return new Dockerode({ socketPath: url.pathname });
  if (url.protocol === 'tcp:' || url.protocol === 'https:' || url.protocol === 'http:') {
    const tls = url.protocol === 'https:' || (url.protocol === 'tcp:' && !!process.env.DOCKER_TLS_VERIFY);
    const port = url.port || (tls ? '2376' : '2375');
    if (!tls) return new Dockerode({ protocol: 'http', host: url.hostname, port });
    const certs = process.env.DOCKER_CERT_PATH ?? join(process.env.HOME ?? '', '.docker');
    const read = (file: string) => {
      try {
        return readFileSync(join(certs, file));
      } catch (error) {
        throw new InputError(
          `docker-host: TLS to ${dockerHost} needs ${join(certs, file)} (DOCKER_CERT_PATH): ${(error as Error).message}`,
        );
      }
    };
    return new Dockerode({ protocol: 'https', host: url.hostname, port, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
  }
  if (url.protocol === 'ssh:') {
    return new Dockerode({
      protocol: 'ssh',
      host: url.hostname,
      port: url.port || '22',
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    });
  }
  throw new InputError(`docker-host: scheme ${url.protocol} is not supported; expected unix://, tcp:// or ssh://`);
}

/** The HTTP status of a Dockerode error, when it has one. */
export function dockerStatusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
