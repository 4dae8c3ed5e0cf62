import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem, type as osType } from 'node:os';
import { delimiter, join } from 'node:path';

/** One GPU as nvidia-smi reports it. */
export interface GpuFacts {
  index: number;
  name: string;
  uuid: string;
  memoryMiB: number | null;
  driverVersion: string;
  computeCapability: string;
}

/** The machine a run trained on. */
export interface EnvironmentFacts {
  os: { platform: string; type: string; release: string; arch: string };
  cpu: { model: string; count: number };
  memoryBytes: number;
  /** The Node.js running the action, and the `node` on PATH (which the command would use). */
  node: { action: string; path: string | null };
  python: { path: string; version: string } | null;
  gpus: GpuFacts[];
}

/** The query the manifest's GPU facts come from. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,uuid,memory.total,driver_version,compute_cap', '--format=csv,noheader,nounits'];
const DEFAULT_COLUMNS = ['index', 'name', 'uuid', 'memory.total', 'driver_version', 'compute_cap'];

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` output. With a header line the
 * columns are taken from it (units such as `[MiB]` dropped), without one they are those of
 * NVIDIA_SMI_ARGS. Returns one entry per GPU; lines it cannot read are skipped.
 */
export function parseNvidiaSmiCsv(text: string): GpuFacts[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return [];
  let columns = DEFAULT_COLUMNS;
  if (/^index\s*,/.test(lines[0]!)) {
    columns = lines
      .shift()!
      .split(',')
      .map((c) => c.trim().replace(/\s*\[.*\]$/, ''));
  }
  const gpus: GpuFacts[] = [];
  for (const line of lines) {
    // GPU names contain no commas; split on ", " as nvidia-smi writes it.
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < columns.length) continue;
    const get = (name: string): string => cells[columns.indexOf(name)] ?? '';
    const index = Number(get('index'));
    if (!Number.isInteger(index)) continue;
    const memory = Number.parseFloat(get('memory.total').replace(/\s*MiB$/, ''));
    gpus.push({
      index,
      name: get('name'),
      uuid: get('uuid'),
      memoryMiB: Number.isFinite(memory) ? memory : null,
      driverVersion: get('driver_version'),
      computeCapability: get('compute_cap'),
    });
  }
  return gpus;
}

function runQuietly(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(file, args, { timeout: 15_000 }, (error, stdout, stderr) => done(error ? undefined : `${stdout}${stderr}`.trim()));
  });
}

/** The executable `name` would run as (searched on PATH), or undefined; a path is checked as it is. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** GPUs from nvidia-smi; `[]` when nvidia-smi is not installed or finds no GPU (never a failure). */
export async function detectGpus(nvidiaSmi = 'nvidia-smi'): Promise<GpuFacts[]> {
  // Looked up first: starting a process only to learn it does not exist costs start-up time.
  const found = findExecutable(nvidiaSmi);
  const output = found === undefined ? undefined : await runQuietly(found, NVIDIA_SMI_ARGS);
  return output === undefined ? [] : parseNvidiaSmiCsv(output);
}

/** The version of the `node` on PATH (which the command would run), without a process when it is this one. */
async function nodeOnPath(): Promise<string | null> {
  const found = findExecutable('node');
  if (!found) return null;
  try {
    if (realpathSync(found) === realpathSync(process.execPath)) return process.versions.node;
  } catch {
    return null;
  }
  return (await runQuietly(found, ['--version']))?.replace(/^v/, '') ?? null;
}

/** The first Python found (Debian's /usr/bin/python3, then python3 on PATH), or null. */
export async function detectPython(candidates = ['/usr/bin/python3', 'python3']): Promise<{ path: string; version: string } | null> {
  for (const path of candidates) {
    if (findExecutable(path) === undefined) continue;
    const output = await runQuietly(path, ['--version']);
    const version = output && /Python (\S+)/.exec(output)?.[1];
    if (version) return { path, version };
  }
  return null;
}

/** Facts about this machine for the run manifest: OS, CPU, memory, Node and Python versions, GPUs. */
export async function describeEnvironment(): Promise<EnvironmentFacts> {
  const [python, gpus, nodeVersion] = await Promise.all([detectPython(), detectGpus(), nodeOnPath()]);
  const cpuList = cpus();
  return {
    os: { platform: platform(), type: osType(), release: release(), arch: arch() },
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', count: cpuList.length },
    memoryBytes: totalmem(),
    node: { action: process.versions.node, path: nodeVersion },
    python,
    gpus,
  };
}
