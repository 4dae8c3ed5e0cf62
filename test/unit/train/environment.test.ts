import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { describeEnvironment, detectGpus, detectPython, parseNvidiaSmiCsv } from '../../../shared/train/environment.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'gpu-runner');

const H100 = {
  index: 0,
  name: 'NVIDIA H100 80GB HBM3',
  uuid: 'GPU-aad6385a-fc5d-6d70-0ef7-1d4798a0f565',
  memoryMiB: 81559,
  driverVersion: '580.159.04',
  computeCapability: '9.0',
};

describe('parseNvidiaSmiCsv', () => {
  it('reads the query output of a real GPU runner (with header and units)', () => {
    expect(parseNvidiaSmiCsv(readFileSync(join(fixtures, 'nvidia-smi-query.csv'), 'utf8'))).toEqual([H100]);
  });

  it('reads the noheader,nounits form the manifest asks for, one entry per GPU', () => {
    const text =
      '0, NVIDIA H100 80GB HBM3, GPU-aad6385a-fc5d-6d70-0ef7-1d4798a0f565, 81559, 580.159.04, 9.0\n1, NVIDIA H100 80GB HBM3, GPU-bbb, 81559, 580.159.04, 9.0\n';
    const gpus = parseNvidiaSmiCsv(text);
    expect(gpus).toHaveLength(2);
    expect(gpus[0]).toEqual(H100);
    expect(gpus[1]!.index).toBe(1);
  });

  it('agrees with the -L listing and the plain table of the same machine', () => {
    const listing = readFileSync(join(fixtures, 'nvidia-smi-L.txt'), 'utf8');
    const table = readFileSync(join(fixtures, 'nvidia-smi.txt'), 'utf8');
    const [gpu] = parseNvidiaSmiCsv(readFileSync(join(fixtures, 'nvidia-smi-query.csv'), 'utf8'));
    expect(listing).toContain(`GPU ${gpu!.index}: ${gpu!.name} (UUID: ${gpu!.uuid})`);
    expect(table).toContain(`Driver Version: ${gpu!.driverVersion}`);
    expect(table).toContain(`${gpu!.memoryMiB}MiB`);
  });

  it('gives no GPU for empty output or an error message', () => {
    expect(parseNvidiaSmiCsv('')).toEqual([]);
    expect(parseNvidiaSmiCsv('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.')).toEqual([]);
  });
});

describe('environment facts', () => {
  it('records no GPU, rather than failing, where nvidia-smi does not exist', async () => {
    await expect(detectGpus('/nonexistent/nvidia-smi')).resolves.toEqual([]);
  });

  it("finds Debian's Python and reports its version", async () => {
    const python = await detectPython();
    expect(python?.path).toBe('/usr/bin/python3');
    expect(python?.version).toMatch(/^3\.\d+\.\d+$/);
    await expect(detectPython(['/nonexistent/python3'])).resolves.toBeNull();
  });

  it('describes this machine: OS, CPU, memory, Node.js', async () => {
    const facts = await describeEnvironment();
    expect(facts.os.platform).toBe(process.platform);
    expect(facts.cpu.count).toBe(cpus().length);
    expect(facts.memoryBytes).toBeGreaterThan(0);
    expect(facts.node.action).toBe(process.versions.node);
    expect(Array.isArray(facts.gpus)).toBe(true);
  });
});

describe('findExecutable', () => {
  it('searches PATH, and checks a path as it is', async () => {
    const { findExecutable } = await import('../../../shared/train/environment.js');
    expect(findExecutable('bash', '/nonexistent:/bin:/usr/bin')).toMatch(/\/bash$/);
    expect(findExecutable('nvidia-smi-not-here', '/bin:/usr/bin')).toBeUndefined();
    expect(findExecutable('/usr/bin/python3')).toBe('/usr/bin/python3');
  });
});
