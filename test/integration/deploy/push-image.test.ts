// push-image against Debian's docker-registry on 127.0.0.1 (htpasswd Basic auth), through the test engine:
// the serving image pushed with the credentials from MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD
// arrives under the model digest's tag; without them, or to a registry that is down, the push fails naming
// the registry and leaves no extra tag on the engine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildServingImage, pushAuthFromEnv, pushServingImage, type ServingImage } from '../../../shared/docker/serving-image.js';
import { ServiceError } from '../../../shared/errors.js';
import { dockerEngineOrSkip, useDockerEngine, type DockerEngine } from '../../services/docker-engine.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../../services/docker-registry.js';
import { NODE_SERVING_IMAGE, useNodeServingImage } from '../../services/host-images.js';
import { freePortRange, modelVersion } from './deploy-fixtures.js';

const RUNTIME_DIR = join(import.meta.dirname, '..', '..', '..', 'dist');
let engine: DockerEngine | undefined;
let registry: TestRegistry | undefined;
let image: ServingImage | undefined;

beforeAll(async () => {
  if (!existsSync(join(RUNTIME_DIR, 'mlops.js'))) throw new Error(`${RUNTIME_DIR}/mlops.js is missing: npm run build first`);
  engine = await useDockerEngine();
  if (!engine) return;
  registry = await startDockerRegistry('htpasswd');
  if (!registry) return;
  await useNodeServingImage(engine);
  // A file of its own: a digest (and image tag) no other test file builds.
  const model = modelVersion('1', { 'TARGET.md': 'push-image\n' });
  image = await buildServingImage({
    docker: engine.docker,
    baseImage: NODE_SERVING_IMAGE,
    model,
    runtimeDir: RUNTIME_DIR,
    log: () => undefined,
  });
});

afterAll(async () => {
  if (image)
    await engine?.docker
      .getImage(image.id)
      .remove({ force: true })
      .catch(() => undefined);
  await registry?.stop();
});

const tagsOf = async (): Promise<string[]> => ((await engine!.docker.getImage(image!.id).inspect()).RepoTags ?? []).sort();

describe('push-image to a real registry', () => {
  it('pushes with the credentials from the environment; the registry holds the digest it returns', async () => {
    if (!dockerEngineOrSkip(engine) || !registryOrSkip(registry)) return;
    const repository = `${registry.host}/digits-serving`;
    const auth = pushAuthFromEnv(repository, {
      MLOPS_REGISTRY_USERNAME: registry.credentials!.username,
      MLOPS_REGISTRY_PASSWORD: registry.credentials!.password,
    });
    expect(auth).toEqual({ ...registry.credentials, serveraddress: registry.host });
    const pushed = await pushServingImage(engine.docker, image!, repository, auth);
    const tag = image!.tag.split(':')[1]!;
    expect(pushed).toMatch(new RegExp(`^${registry.host}/digits-serving@sha256:[0-9a-f]{64}$`));
    const basic = Buffer.from(`${registry.credentials!.username}:${registry.credentials!.password}`).toString('base64');
    const head = await fetch(`http://${registry.host}/v2/digits-serving/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        authorization: `Basic ${basic}`,
        accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      },
      signal: AbortSignal.timeout(10_000),
    });
    expect(head.status).toBe(200);
    expect(`${repository}@${head.headers.get('docker-content-digest')}`).toBe(pushed);
    expect(pushAuthFromEnv(repository, {})).toBeUndefined();
  });

  it('without credentials, or to a registry that is down, the push fails naming the registry and leaves no tag behind', async () => {
    if (!dockerEngineOrSkip(engine) || !registryOrSkip(registry)) return;
    const before = await tagsOf();
    const anonymous = pushServingImage(engine.docker, image!, `${registry.host}/other-serving`);
    await expect(anonymous).rejects.toThrow(ServiceError);
    await expect(anonymous).rejects.toThrow(
      new RegExp(
        `^registry ${registry.host.replace(/\./g, '\\.')}: docker push ${registry.host.replace(/\./g, '\\.')}/other-serving:[0-9a-f]{12} failed: .*(unauthorized|basic auth|authentication required)`,
        'i',
      ),
    );
    expect(await tagsOf()).toEqual(before);

    const down = `127.0.0.1:${await freePortRange(1)}`;
    const refused = pushServingImage(engine.docker, image!, `${down}/digits-serving:manual`);
    await expect(refused).rejects.toThrow(
      new RegExp(`^registry ${down.replace(/\./g, '\\.')}: docker push .* failed: .*connection refused`),
    );
    expect(await tagsOf()).toEqual(before);
  });
});
