// A separate process registering `count` versions into one layout, for the parallel-writers test:
// node --import tsx register-worker.ts <registry-dir> <name> <model-dir> <tag-prefix> <count> [<go-file>] [<big-file-bytes>]
// Blobs are pushed first; the manifests and tags (the index.json updates that can collide) follow in a
// tight loop once <go-file> exists, so two workers contend for the index at the same moment.
// With a size, the model also gets a sparse weight file that large (for the killed-push test).
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImageLayoutRepository } from '../../../shared/registry/image-layout.js';
import { buildModelPackage, type ModelPackage } from '../../../shared/registry/model-package.js';

const [registryDir, name, modelDir, prefix, count, goFile, bigFileBytes] = process.argv.slice(2);
const repository = ImageLayoutRepository.open(registryDir, name);
if (bigFileBytes) {
  writeFileSync(join(modelDir, 'big.bin'), '');
  truncateSync(join(modelDir, 'big.bin'), Number(bigFileBytes));
}
const packages: ModelPackage[] = [];
for (let i = 1; i <= Number(count); i++) {
  // A different weight file each time, so every version is a different manifest with its own blobs.
  writeFileSync(join(modelDir, 'model.onnx.data'), `${prefix} weights ${i}`);
  const pkg = await buildModelPackage(modelDir, { name, version: `${prefix}-${i}` }, { sourceDateEpoch: '0' });
  for (const layer of pkg.layers) await repository.putBlob(layer.descriptor.digest, layer.descriptor.size, () => layer.content());
  await repository.putBlob(pkg.config.descriptor.digest, pkg.config.descriptor.size, () => Readable.from([pkg.config.bytes]));
  packages.push(pkg);
}
if (goFile) while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 1));
for (const pkg of packages) await repository.putManifest(pkg.manifest, pkg.config.json.descriptor.version);
