// Benchmark of the register stage's registry traffic: pushing and pulling a ModelPack model of several
// files (about 1 GB; `--size-mb` for less) to and from Debian's docker-registry (distribution 2.8, anonymous,
// filesystem storage, on 127.0.0.1), ours against `skopeo copy` of the very same content:
//   - push: ours = buildModelPackage (hashing every file; with pushTo, each layer goes up once hashed) + pushModelPackage;
//     skopeo = `skopeo copy oci:<layout>:v1 docker://…`, from an OCI image layout our builder wrote beforehand
//     (untimed), so skopeo starts with every digest known. The manifest skopeo stores is checked to be
//     byte for byte ours (same digest): both sides upload the same blobs, none recompressed.
//   - second push: ours again, unchanged model, same repository: the blobs uploaded must be 0.
//   - pull: ours = pullModelPackage from the registry into a folder (verified, files extracted);
//     skopeo = `skopeo copy docker://… oci:<dir>:v1` (blobs into a layout).
// Targets: our push throughput ≥ 1.0× skopeo's, zero blobs uploaded by the second push, pull ≥ 0.9× skopeo's.
//
// The model's bytes come from a seeded generator (AES-256-CTR keystream of a fixed key): model weights are
// incompressible, so random bytes are representative of them, and nothing on the way compresses anyway.
// Every side runs as its own process. skopeo is timed from spawn to exit (its start-up, tens of ms, included);
// ours inside its process, from the start of the operation to its end: loading the TypeScript sources under
// Node's type stripping takes 1-2 s here, which the committed bundle a user runs does not spend (bench/startup
// measures its start-up). Spawn-to-exit seconds of both are in the result too. Every round starts a
// fresh registry (storage under the same temp folder as the model, so on the same disk) with fresh
// repositories per side, so both sides upload everything. Sides alternate: ours first in odd rounds, skopeo
// first in even ones. At least 3 rounds. skopeo's blob-info cache (root: /var/lib/containers/cache) can
// only name repositories of registries that no longer exist (each round's registry is new and empty).
//
//   node_modules/.bin/node --experimental-transform-types bench/register/run.ts [--repetitions 3] [--size-mb 1024]
//
// Writes bench/results/register.json. "MB" is MiB. The machine's 2 cores are shared: the load average is recorded.
import { spawn, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveTypeScriptSources } from '../runner-support.js';

resolveTypeScriptSources();

const { buildModelPackage, pushModelPackage } = await import('../../shared/registry/model-package.js');
const { DistributionRepository } = await import('../../shared/registry/distribution-client.js');
const { ImageLayoutRepository } = await import('../../shared/registry/image-layout.js');
const { pullModelPackage } = await import('../../shared/registry/pull.js');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const resultPath = join(root, 'bench', 'results', 'register.json');
const SKOPEO = '/usr/bin/skopeo';
const DOCKER_REGISTRY = '/usr/bin/docker-registry';
const SEED = 'mlops-actions register bench, seed 1';
const TAG = 'v1';
const MODEL_NAME = 'bench/model';
const MiB = 1024 * 1024;
const REGISTRY_START_TIMEOUT_MS = 20_000;
const SIDE_TIMEOUT_MS = 20 * 60_000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;
const load = (): number[] => loadavg().map((v) => round(v, 2));

// ---- our side, each operation in its own process: prints one JSON line ----

interface OursPush {
  seconds: number;
  uploaded: number;
  skipped: number;
  manifestDigest: string;
  peakMB: number;
}

interface OursPull {
  seconds: number;
  files: number;
  bytes: number;
  peakMB: number;
}

async function oursPush(modelDir: string, location: string): Promise<OursPush> {
  const started = performance.now();
  const repository = new DistributionRepository(location);
  // As register does it: each layer goes up as soon as its digest is known, while the next file is hashed.
  const pkg = await buildModelPackage(modelDir, { name: MODEL_NAME, format: 'safetensors' }, { sourceDateEpoch: '0', pushTo: repository });
  const { uploaded, skipped } = await pushModelPackage(repository, pkg, TAG);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, uploaded, skipped, manifestDigest: pkg.manifest.digest, peakMB: process.resourceUsage().maxRSS / 1024 };
}

async function oursPull(location: string, target: string): Promise<OursPull> {
  const started = performance.now();
  const repository = new DistributionRepository(location);
  const manifest = await repository.getManifest(TAG);
  if (!manifest) throw new Error(`${location}:${TAG} is not in the registry`);
  const pulled = await pullModelPackage(repository, manifest, target);
  const seconds = (performance.now() - started) / 1000;
  const bytes = pulled.files.reduce((sum, file) => sum + file.size, 0);
  return { seconds, files: pulled.files.length, bytes, peakMB: process.resourceUsage().maxRSS / 1024 };
}

// ---- the model: several files of seeded random bytes ----

interface ModelFile {
  name: string;
  size: number;
}

/** Four weight shards holding nearly all the bytes, and the small files a model folder carries beside them. */
function modelFiles(totalBytes: number): ModelFile[] {
  const small: ModelFile[] = [
    { name: 'config.json', size: 4 * 1024 },
    { name: 'tokenizer.json', size: Math.min(2 * MiB, Math.floor(totalBytes / 64)) },
    { name: 'README.md', size: 8 * 1024 },
  ];
  const shardBytes = totalBytes - small.reduce((sum, file) => sum + file.size, 0);
  if (shardBytes < 4 * 1024) throw new Error(`--size-mb ${totalBytes / MiB} is too small for the model's files`);
  const shards = Array.from({ length: 4 }, (_, i) => ({
    name: `model-0000${i + 1}-of-00004.safetensors`,
    size: Math.floor(shardBytes / 4) + (i === 3 ? shardBytes % 4 : 0),
  }));
  return [...shards, ...small];
}

/** Writes `file` into `dir`: the AES-256-CTR keystream of a key from the seed, an IV from the file's name. */
function writeSeededFile(dir: string, file: ModelFile): void {
  const key = createHash('sha256').update(SEED).digest();
  const iv = createHash('sha256').update(file.name).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const zeros = Buffer.alloc(8 * MiB);
  const fd = openSync(join(dir, file.name), 'w');
  try {
    for (let written = 0; written < file.size;) {
      const length = Math.min(zeros.length, file.size - written);
      writeSync(fd, cipher.update(zeros.subarray(0, length)));
      written += length;
    }
  } finally {
    closeSync(fd);
  }
}

// ---- processes ----

interface Timed {
  seconds: number;
  stdout: string;
}

const children = new Set<ChildProcess>();

/** Runs a command to completion (killed after the timeout); returns wall-clock seconds from spawn to exit. Throws when it fails. */
function timed(command: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-16_384)));
    const timer = setTimeout(() => child.kill('SIGKILL'), SIDE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}:\n${stderr.slice(-4000)}`));
      else resolve({ seconds, stdout });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Registry {
  host: string;
  stop(): Promise<void>;
}

/** A fresh anonymous docker-registry on 127.0.0.1 with its storage in `dir` (as test/services/docker-registry.ts starts it). */
async function startRegistry(dir: string): Promise<Registry> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'storage') },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: host, secret: 'mlops-bench-secret' },
  };
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const logPath = join(dir, 'registry.log');
  const log = openSync(logPath, 'a');
  const child = spawn(DOCKER_REGISTRY, ['serve', configPath], { stdio: ['ignore', log, log] });
  closeSync(log);
  children.add(child);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
    children.delete(child);
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + REGISTRY_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return { host, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`docker-registry ${exited ?? 'did not answer'} on ${host}; its log ends:\n${readFileSync(logPath, 'utf8').slice(-2000)}`);
}

/** The digest the registry gives the manifest tagged `tag` in `repository`. */
async function manifestDigest(host: string, repository: string, tag: string): Promise<string> {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.headers.get('docker-content-digest') ?? `(HEAD answered ${response.status})`;
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  return bytes;
}

async function skopeoVersion(): Promise<string> {
  return (await timed(SKOPEO, ['--version'])).stdout.trim();
}

async function registryVersion(): Promise<string> {
  return (await timed(DOCKER_REGISTRY, ['--version'])).stdout.trim();
}

// ---- main ----

const self = fileURLToPath(import.meta.url);
const ourArgs = (...args: string[]): string[] => [...process.execArgv, self, ...args];

if (process.argv.includes('--ours-push')) {
  const at = process.argv.indexOf('--ours-push');
  process.stdout.write(JSON.stringify(await oursPush(process.argv[at + 1]!, process.argv[at + 2]!)));
} else if (process.argv.includes('--ours-pull')) {
  const at = process.argv.indexOf('--ours-pull');
  process.stdout.write(JSON.stringify(await oursPull(process.argv[at + 1]!, process.argv[at + 2]!)));
} else {
  const rounds = Math.max(option('--repetitions', 3), 3);
  const sizeMB = option('--size-mb', 1024);
  if (!(sizeMB > 0)) throw new Error(`--size-mb must be a positive number, got ${sizeMB}`);
  const totalBytes = Math.round(sizeMB * MiB);
  const work = mkdtempSync(join(tmpdir(), 'bench-register-'));
  const cleanUp = (): void => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  try {
    const loadAtStart = load();
    const modelDir = join(work, 'model');
    mkdirSync(modelDir);
    const files = modelFiles(totalBytes);
    let started = performance.now();
    for (const file of files) writeSeededFile(modelDir, file);
    console.log(
      `model: ${files.length} files, ${(totalBytes / MiB).toFixed(0)} MB of seeded random bytes in ${work} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    // skopeo's source: the same package, written by our builder into an OCI layout (untimed).
    const layoutDir = join(work, 'layout');
    started = performance.now();
    const pkg = await buildModelPackage(modelDir, { name: MODEL_NAME, format: 'safetensors' }, { sourceDateEpoch: '0' });
    await pushModelPackage(new ImageLayoutRepository(layoutDir), pkg, TAG);
    const blobBytes = pkg.layers.reduce((sum, layer) => sum + layer.descriptor.size, pkg.config.descriptor.size);
    console.log(
      `layout for skopeo: ${pkg.layers.length} layers + config, ${(blobBytes / MiB).toFixed(1)} MB of blobs, manifest ${pkg.manifest.digest} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );

    type Side = 'ours' | 'skopeo';
    // seconds: ours from the start of the operation to its end inside its process (the modules loaded), skopeo
    // spawn to exit; processSeconds: spawn to exit for both.
    type Run = { seconds: number; processSeconds: number; peakMB?: number; load: number };
    const push: Record<Side, Run[]> = { ours: [], skopeo: [] };
    const pull: Record<Side, Run[]> = { ours: [], skopeo: [] };
    const secondPush: { seconds: number; processSeconds: number; uploaded: number; skipped: number }[] = [];
    const firstUploads: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      const order: Side[] = r % 2 === 1 ? ['ours', 'skopeo'] : ['skopeo', 'ours'];
      const roundDir = join(work, `round-${r}`);
      const registry = await startRegistry(join(roundDir, 'registry'));
      const repository = (side: Side): string => `bench/${side}-r${r}`;
      const location = (side: Side): string => `oci://${registry.host}/${repository(side)}`;
      try {
        for (const side of order) {
          if (side === 'ours') {
            const run = await timed(process.execPath, ourArgs('--ours-push', modelDir, location('ours')));
            const result = JSON.parse(run.stdout) as OursPush;
            if (result.manifestDigest !== pkg.manifest.digest)
              throw new Error(`our push built manifest ${result.manifestDigest}, the layout holds ${pkg.manifest.digest}`);
            push.ours.push({
              seconds: round(result.seconds),
              processSeconds: round(run.seconds),
              peakMB: round(result.peakMB, 1),
              load: load()[0]!,
            });
            firstUploads.push(result.uploaded);
            console.log(
              `  round ${r} push ours   ${result.seconds.toFixed(2)} s (process ${run.seconds.toFixed(2)} s; uploaded ${result.uploaded}) (load ${load()[0]})`,
            );
          } else {
            const run = await timed(SKOPEO, [
              'copy',
              '--quiet',
              '--dest-tls-verify=false',
              `oci:${layoutDir}:${TAG}`,
              `docker://${registry.host}/${repository('skopeo')}:${TAG}`,
            ]);
            push.skopeo.push({ seconds: round(run.seconds), processSeconds: round(run.seconds), load: load()[0]! });
            console.log(`  round ${r} push skopeo ${run.seconds.toFixed(2)} s (load ${load()[0]})`);
          }
        }
        // Same bytes on both sides: skopeo stored our manifest unchanged, so it pushed the same blobs.
        for (const side of ['ours', 'skopeo'] as const) {
          const stored = await manifestDigest(registry.host, repository(side), TAG);
          if (stored !== pkg.manifest.digest) throw new Error(`${side} stored manifest ${stored}, expected ${pkg.manifest.digest}`);
        }
        const again = await timed(process.execPath, ourArgs('--ours-push', modelDir, location('ours')));
        const second = JSON.parse(again.stdout) as OursPush;
        secondPush.push({
          seconds: round(second.seconds),
          processSeconds: round(again.seconds),
          uploaded: second.uploaded,
          skipped: second.skipped,
        });
        console.log(
          `  round ${r} second push ours ${second.seconds.toFixed(2)} s (process ${again.seconds.toFixed(2)} s): uploaded ${second.uploaded}, skipped ${second.skipped}`,
        );

        for (const side of order) {
          const target = join(roundDir, `pull-${side}`);
          if (side === 'ours') {
            const run = await timed(process.execPath, ourArgs('--ours-pull', location('ours'), target));
            const result = JSON.parse(run.stdout) as OursPull;
            const expected = files.reduce((sum, file) => sum + file.size, 0);
            if (result.files !== files.length || result.bytes !== expected)
              throw new Error(`our pull wrote ${result.files} files of ${result.bytes} bytes, expected ${files.length} of ${expected}`);
            pull.ours.push({
              seconds: round(result.seconds),
              processSeconds: round(run.seconds),
              peakMB: round(result.peakMB, 1),
              load: load()[0]!,
            });
            console.log(
              `  round ${r} pull ours   ${result.seconds.toFixed(2)} s (process ${run.seconds.toFixed(2)} s) (load ${load()[0]})`,
            );
          } else {
            const run = await timed(SKOPEO, [
              'copy',
              '--quiet',
              '--src-tls-verify=false',
              `docker://${registry.host}/${repository('skopeo')}:${TAG}`,
              `oci:${target}:${TAG}`,
            ]);
            const bytes = folderBytes(join(target, 'blobs'));
            if (bytes < blobBytes) throw new Error(`skopeo's pull holds ${bytes} bytes of blobs, expected at least ${blobBytes}`);
            pull.skopeo.push({ seconds: round(run.seconds), processSeconds: round(run.seconds), load: load()[0]! });
            console.log(`  round ${r} pull skopeo ${run.seconds.toFixed(2)} s (load ${load()[0]})`);
          }
          rmSync(target, { recursive: true, force: true });
        }
      } finally {
        await registry.stop();
        rmSync(roundDir, { recursive: true, force: true });
      }
    }

    const medianOf = (runs: { seconds: number }[]): number => round(median(runs.map((run) => run.seconds)));
    const median_ = {
      push: { ours: medianOf(push.ours), skopeo: medianOf(push.skopeo) },
      secondPush: medianOf(secondPush),
      pull: { ours: medianOf(pull.ours), skopeo: medianOf(pull.skopeo) },
    };
    const processMedianOf = (runs: { processSeconds: number }[]): number => round(median(runs.map((run) => run.processSeconds)));
    const medianProcessSeconds = {
      push: { ours: processMedianOf(push.ours), skopeo: processMedianOf(push.skopeo) },
      secondPush: processMedianOf(secondPush),
      pull: { ours: processMedianOf(pull.ours), skopeo: processMedianOf(pull.skopeo) },
    };
    const mbps = (seconds: number): number => round(totalBytes / MiB / seconds, 1);
    const throughput = {
      push: { ours: mbps(median_.push.ours), skopeo: mbps(median_.push.skopeo) },
      pull: { ours: mbps(median_.pull.ours), skopeo: mbps(median_.pull.skopeo) },
    };
    // Throughput ratios, ours over skopeo's (= skopeo's seconds over ours): above 1 means we are faster.
    const ratio = {
      push: round(median_.push.skopeo / median_.push.ours, 2),
      pull: round(median_.pull.skopeo / median_.pull.ours, 2),
    };
    const maxSecondUploads = Math.max(...secondPush.map((run) => run.uploaded));
    const targets = [
      { name: 'push throughput, ours / skopeo', target: '≥ 1.0×', value: ratio.push, met: ratio.push >= 1.0 },
      { name: 'blobs uploaded by a second push of the unchanged model', target: '0', value: maxSecondUploads, met: maxSecondUploads === 0 },
      { name: 'pull throughput, ours / skopeo', target: '≥ 0.9×', value: ratio.pull, met: ratio.pull >= 0.9 },
    ];
    const result = {
      name: 'register',
      description: `push and pull of a ${files.length}-file, ${(totalBytes / MiB).toFixed(0)} MB ModelPack model to and from a local docker-registry, ours against skopeo copy`,
      peer: `${await skopeoVersion()}; registry: ${await registryVersion()}`,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGB: round(totalmem() / 1024 ** 3, 1),
        node: process.version,
        loadAverage: { start: loadAtStart, end: load() },
      },
      input: {
        description: 'seeded random bytes (AES-256-CTR keystream): weights are incompressible, so random bytes represent them',
        bytes: totalBytes,
        blobBytes,
        files: files.map((file) => ({ name: file.name, bytes: file.size })),
        layers: pkg.layers.length,
        manifest: pkg.manifest.digest,
      },
      commands: [
        'push, ours: node run.ts --ours-push (buildModelPackage, hashing every file, its layers pushed to a DistributionRepository as they are hashed (pushTo), + pushModelPackage), a fresh repository',
        `push, skopeo: skopeo copy --dest-tls-verify=false oci:<layout>:${TAG} docker://127.0.0.1:PORT/bench/skopeo-rN:${TAG} (layout written beforehand by our builder, untimed)`,
        'second push: ours again to the same repository, unchanged model',
        'pull, ours: node run.ts --ours-pull (getManifest + pullModelPackage into a new folder: digests verified, tar layers extracted)',
        `pull, skopeo: skopeo copy --src-tls-verify=false docker://127.0.0.1:PORT/bench/skopeo-rN:${TAG} oci:<dir>:${TAG}`,
        'seconds are spawn to exit of each process; a fresh registry per round; ours first in odd rounds, skopeo first in even ones',
      ].join('; '),
      runs: { push, secondPush, pull, oursFirstPushUploaded: firstUploads },
      median: median_,
      medianProcessSeconds,
      throughput,
      ratio,
      secondPush: { uploaded: maxSecondUploads, skipped: secondPush[0]!.skipped },
      targets,
      targetsMet: targets.every((t) => t.met),
    };
    mkdirSync(dirname(resultPath), { recursive: true });
    writeFileSync(resultPath, JSON.stringify(result, null, 2) + '\n');
    console.log(
      `push: ours ${median_.push.ours.toFixed(2)} s (${throughput.push.ours} MB/s), skopeo ${median_.push.skopeo.toFixed(2)} s (${throughput.push.skopeo} MB/s), ratio ${ratio.push.toFixed(2)}× (target ≥ 1.0)`,
    );
    console.log(`second push: ${median_.secondPush.toFixed(2)} s, blobs uploaded ${maxSecondUploads} (target 0)`);
    console.log(
      `pull: ours ${median_.pull.ours.toFixed(2)} s (${throughput.pull.ours} MB/s), skopeo ${median_.pull.skopeo.toFixed(2)} s (${throughput.pull.skopeo} MB/s), ratio ${ratio.pull.toFixed(2)}× (target ≥ 0.9)`,
    );
    console.log(`load average: start ${loadAtStart.join(' ')}, end ${load().join(' ')} (${cpus().length} CPUs shared)`);
    console.log(`${targets.every((t) => t.met) ? 'all targets met' : 'some targets NOT met'}; wrote ${resultPath}`);
  } finally {
    cleanUp();
  }
}
