// The serving image: the user's base image (which must hold node >= 24; never pulled by us) plus the
// built runtime (dist/ without source maps), onnxruntime's native binding, and the model folder. The
// build context is a tar stream made in memory, so nothing is written next to the user's files.
import { createReadStream, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { pack, type Pack } from 'tar-stream';
import { InputError, ServiceError } from '../errors.js';
import { dockerStatusCode } from './docker-connection.js';
import { describeEngine } from './run-container.js';

/** Where things sit inside the image. */
export const SERVING_ROOT = '/opt/mlops';
export const IMAGE_LABEL = 'io.mlops-actions.serve';
export const DIGEST_LABEL = 'io.mlops-actions.model-digest';
export const VERSION_LABEL = 'io.mlops-actions.model-version';
export const NAME_LABEL = 'io.mlops-actions.model-name';
/** The port the image's default command listens on; containers pass their own. */
export const DEFAULT_SERVING_PORT = 8080;

export interface ServingImageOptions {
  docker: Dockerode;
  baseImage: string;
  model: { name: string; version: string; digest: string; modelDir: string; profilePath?: string; predictionsPath?: string };
  /** The built runtime: dist/ holding mlops.js, index.js and the chunks. Default: found beside this module. */
  runtimeDir?: string;
  /** Folder holding onnxruntime_binding.node and libonnxruntime for the engine's platform. Default: searched. */
  onnxRuntimeDir?: string;
  log: (line: string) => void;
}

export interface ServingImage {
  /** `mlops-serve/<name>:<digest-hex-12>` */
  tag: string;
  /** `sha256:…`, the image id (swarm services name it, so the engine never tries a pull). */
  id: string;
  seconds: number;
}

/** A name Docker accepts as a repository path component. */
export function imageNameFor(modelName: string): string {
  const name = modelName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'model';
}

/** `mlops-serve/<name>:<first 12 hex of the model digest>`. */
export function servingImageTag(modelName: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{12,}$/.test(hex)) throw new InputError(`model digest '${digest}' is not a sha256 digest`);
  return `mlops-serve/${imageNameFor(modelName)}:${hex.slice(0, 12)}`;
}

/** The dist/ folder of this build: the bundle's own folder, or ../../dist beside the TypeScript source. */
export function defaultRuntimeDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [here, resolve(here, '..', '..', 'dist')]) if (existsSync(join(candidate, 'mlops.js'))) return candidate;
  throw new InputError(`the mlops runtime (dist/mlops.js) is not beside ${here}; run npm run build`);
}

/** The native onnxruntime files for linux/<arch>: beside the runtime (../bin/napi-v6) or in a node_modules above it or the cwd. */
export function findOnnxRuntimeDir(runtimeDir: string, arch: string): string {
  const suffix = join('bin', 'napi-v6', 'linux', arch);
  const tried: string[] = [join(runtimeDir, '..', suffix)];
  for (const start of [runtimeDir, process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      tried.push(join(dir, 'node_modules', 'onnxruntime-node', suffix));
      if (dirname(dir) === dir) break;
    }
  }
  const found = tried.find((dir) => existsSync(join(dir, 'onnxruntime_binding.node')));
  if (!found)
    throw new InputError(`onnxruntime's native binding for linux/${arch} was not found; looked in ${tried.slice(0, 4).join(', ')} …`);
  return found;
}

/** Every file under `dir`, as paths relative to it, in a stable order. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function addFile(archive: Pack, name: string, path: string): Promise<void> {
  const info = await stat(path);
  const entry = archive.entry({ name, size: info.size, mode: info.mode & 0o111 ? 0o755 : 0o644, mtime: new Date(0), uid: 0, gid: 0 });
  await pipeline(createReadStream(path), entry);
}

/** The Dockerfile of the serving image: the runtime's `mlops serve` on the model folder, address given per container. */
export function servingDockerfile(baseImage: string, model: ServingImageOptions['model'], labels: Record<string, string>): string {
  const entrypoint = [
    'node',
    `${SERVING_ROOT}/dist/mlops.js`,
    'serve',
    `${SERVING_ROOT}/model`,
    '--name',
    model.name,
    '--version',
    model.version,
  ];
  if (model.profilePath) entrypoint.push('--profile', `${SERVING_ROOT}/profile.json`);
  if (model.predictionsPath) entrypoint.push('--predictions', `${SERVING_ROOT}/${predictionsFileName(model.predictionsPath)}`);
  return [
    `FROM ${baseImage}`,
    `COPY mlops ${SERVING_ROOT}`,
    ...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
    `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
    `CMD ${JSON.stringify(['--host', '127.0.0.1', '--port', String(DEFAULT_SERVING_PORT)])}`,
    '',
  ].join('\n');
}

/**
 * Builds the serving image for a model and tags it `mlops-serve/<name>:<digest-hex-12>`. Throws InputError
 * when the base image is not on the engine (it is never pulled) and ServiceError when the build fails.
 */
export async function buildServingImage(options: ServingImageOptions): Promise<ServingImage> {
  const { docker, baseImage, model, log } = options;
  const started = Date.now();
  const tag = servingImageTag(model.name, model.digest);
  try {
    await docker.getImage(baseImage).inspect();
  } catch (error) {
    if (dockerStatusCode(error) === 404)
      throw new InputError(
        `base-image: ${baseImage} is not on the Docker Engine at ${describeEngine(docker)}; mlops never pulls it (docker pull ${baseImage})`,
      );
    throw new ServiceError('Docker', `could not inspect base image ${baseImage}: ${(error as Error).message}`, { cause: error });
  }
  const runtimeDir = options.runtimeDir ?? defaultRuntimeDir();
  const { Arch } = await docker.version();
  const arch = Arch === 'amd64' ? 'x64' : Arch;
  const onnxDir = options.onnxRuntimeDir ?? findOnnxRuntimeDir(runtimeDir, arch);
  const labels = { [IMAGE_LABEL]: 'true', [NAME_LABEL]: model.name, [VERSION_LABEL]: model.version, [DIGEST_LABEL]: model.digest };

  const archive = pack();
  const filling = (async () => {
    archive.entry({ name: 'Dockerfile' }, servingDockerfile(baseImage, model, labels));
    for (const file of (await filesUnder(runtimeDir)).filter((name) => !name.endsWith('.map') && !name.includes('/')))
      await addFile(archive, `mlops/dist/${file}`, join(runtimeDir, file));
    for (const file of await filesUnder(onnxDir)) await addFile(archive, `mlops/bin/napi-v6/linux/${arch}/${file}`, join(onnxDir, file));
    for (const file of await filesUnder(model.modelDir)) await addFile(archive, `mlops/model/${file}`, join(model.modelDir, file));
    if (model.profilePath) await addFile(archive, 'mlops/profile.json', model.profilePath);
    if (model.predictionsPath) await addFile(archive, `mlops/${predictionsFileName(model.predictionsPath)}`, model.predictionsPath);
    archive.finalize();
  })();
  filling.catch((error: unknown) => archive.destroy(error as Error));

  let events: { error?: string; errorDetail?: { message?: string }; aux?: { ID?: string } }[];
  try {
    const progress = await docker.buildImage(archive as unknown as NodeJS.ReadableStream, { t: tag, pull: false, rm: true, forcerm: true });
    events = await new Promise((resolveBuild, reject) =>
      docker.modem.followProgress(progress, (error: Error | null, output: typeof events) => (error ? reject(error) : resolveBuild(output))),
    );
    await filling;
  } catch (error) {
    await filling.catch(() => undefined);
    throw new ServiceError('Docker', `could not build ${tag} from ${baseImage}: ${(error as Error).message}`, { cause: error });
  }
  const failed = events.find((event) => event.error || event.errorDetail);
  if (failed) throw new ServiceError('Docker', `building ${tag} from ${baseImage} failed: ${failed.error ?? failed.errorDetail?.message}`);
  const { Id } = await docker.getImage(tag).inspect();
  const seconds = (Date.now() - started) / 1000;
  log(`built ${tag} (${Id.slice(0, 19)}) on ${baseImage} in ${seconds.toFixed(1)} s`);
  return { tag, id: Id, seconds };
}

export interface PushAuth {
  username: string;
  password: string;
  serveraddress?: string;
}

/**
 * The credentials for pushing to `reference`'s registry: MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD,
 * as the registry commands read them; undefined when no password is set (an anonymous push).
 */
export function pushAuthFromEnv(reference: string, env: NodeJS.ProcessEnv = process.env): PushAuth | undefined {
  if (!env.MLOPS_REGISTRY_PASSWORD) return undefined;
  return { username: env.MLOPS_REGISTRY_USERNAME ?? '', password: env.MLOPS_REGISTRY_PASSWORD, serveraddress: reference.split('/')[0]! };
}

/**
 * Pushes the serving image to `reference` (`registry/repo[:tag]`; default tag: the image's own) and
 * returns `registry/repo@sha256:…`, the reference every node can pull. Throws ServiceError naming the registry.
 */
export async function pushServingImage(docker: Dockerode, image: ServingImage, reference: string, auth?: PushAuth): Promise<string> {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  const [repo, tag] = colon > slash ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, image.tag.split(':')[1]!];
  try {
    await docker.getImage(image.id).tag({ repo, tag });
    const stream = await docker.getImage(`${repo}:${tag}`).push({ tag, ...(auth ? { authconfig: auth } : {}) });
    const events: { error?: string; aux?: { Digest?: string } }[] = await new Promise((resolvePush, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, output: typeof events) => (error ? reject(error) : resolvePush(output))),
    );
    const failed = events.find((event) => event.error);
    if (failed) throw new Error(failed.error);
    const digest = events.find((event) => event.aux?.Digest)?.aux?.Digest;
    if (!digest) throw new Error('the engine reported no digest for the push');
    return `${repo}@${digest}`;
  } catch (error) {
    // The tag added for the push goes too, so a failed push leaves the engine as it was (the image keeps its own tag).
    await docker
      .getImage(`${repo}:${tag}`)
      .remove({ noprune: true })
      .catch(() => undefined);
    throw new ServiceError(`registry ${repo.split('/')[0]}`, `docker push ${repo}:${tag} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The held-out predictions' name in the image: `predictions` with the file's extension (its format). */
function predictionsFileName(path: string): string {
  return `predictions${/\.predictions(\.[a-z]+(\.gz)?)$/.exec(path)?.[1] ?? '.csv'}`;
}
