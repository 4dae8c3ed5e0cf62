// What the deploy stage saves about its target (target.json) for `mlops deploy status|rollback|stop`: the
// settings the inputs name, read back as written; an older state folder reads as the process target; a
// switch to another kind clears what the old one left when nothing of it serves.
import { describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { leaveOtherTarget, readTargetSettings, targetSettings, writeTargetSettings } from '../../../shared/deploy/target-settings.js';
import { InputError } from '../../../shared/errors.js';
import { readInputs } from '../../../shared/schemas/inputs.js';
import { deploySpec, type DeployInputs } from '../../../shared/schemas/deploy.js';
import { tempDir } from '../../temp-dirs.js';

const inputs = (given: Record<string, string>): Promise<DeployInputs> => readInputs<DeployInputs>(deploySpec, (name) => given[name]);

describe('deploy target settings', () => {
  it('keeps what each kind needs to be reached again', async () => {
    const swarm = targetSettings(
      await inputs({ model: 'r/m@v1', target: 'swarm', 'base-image': 'node:24', replicas: '3', 'update-monitor': '7', port: '9000' }),
      'team/Penguins',
      { DOCKER_HOST: 'ssh://deploy@host' },
    );
    expect(swarm).toEqual({
      kind: 'swarm',
      name: 'team-penguins',
      port: 9000,
      dockerHost: 'ssh://deploy@host',
      baseImage: 'node:24',
      replicas: 3,
      updateParallelism: 1,
      updateDelaySeconds: 5,
      monitorSeconds: 7,
      startPeriodSeconds: 60,
    });
    const docker = targetSettings(
      await inputs({ model: 'r/m@v1', target: 'docker', 'base-image': 'b', 'docker-host': 'tcp://h:2376', 'router-image': 'haproxy:3.0' }),
      'digits',
      { DOCKER_HOST: 'unix:///other.sock' },
    );
    expect(docker).toEqual({
      kind: 'docker',
      name: 'digits',
      port: 8080,
      dockerHost: 'tcp://h:2376',
      baseImage: 'b',
      routerImage: 'haproxy:3.0',
    });
    expect(targetSettings(await inputs({ model: 'r/m@v1' }), 'digits', {})).toEqual({ kind: 'process', name: 'digits', port: 8080 });
  });

  it('reads back what was written; an older state folder is the process target; a bad file names itself', async () => {
    const dir = tempDir('target-settings-');
    expect(await readTargetSettings(dir)).toBeUndefined();
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ host: '127.0.0.1', port: 8123, candidates: [] }));
    expect(await readTargetSettings(dir)).toMatchObject({ kind: 'process', port: 8123 });
    await writeTargetSettings(dir, { kind: 'docker', name: 'digits', port: 9000, baseImage: 'b' });
    expect(await readTargetSettings(dir)).toEqual({ kind: 'docker', name: 'digits', port: 9000, baseImage: 'b' });
    writeFileSync(join(dir, 'target.json'), '{"kind": "kubernetes", "port": 1}');
    await expect(readTargetSettings(dir)).rejects.toThrow(InputError);
    await expect(readTargetSettings(dir)).rejects.toThrow(/target\.json names no target kind/);
  });

  it('moving to another kind clears the state of the old one when nothing of it serves', async () => {
    const dir = tempDir('target-switch-');
    // A process deployment whose processes are long gone (pids that do not exist).
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({
        host: '127.0.0.1',
        port: 8123,
        candidates: [],
        stable: { name: 'd', reference: 'r', digest: 'sha256:a', version: 'v1', modelDir: dir, pid: 2 ** 22 + 7, port: 1 },
      }),
    );
    await writeTargetSettings(dir, { kind: 'process', name: 'digits', port: 8123 });
    const lines: string[] = [];
    await leaveOtherTarget(dir, { kind: 'docker', name: 'digits', port: 9000, baseImage: 'b' }, (line) => lines.push(line));
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(lines.at(-1)).toMatch(/^The process target served nothing of this model any more; its state is cleared for docker\.$/);
    // The same kind again: nothing to leave.
    await writeTargetSettings(dir, { kind: 'docker', name: 'digits', port: 9000, baseImage: 'b' });
    const before = lines.length;
    await leaveOtherTarget(dir, { kind: 'docker', name: 'digits', port: 9000, baseImage: 'b' }, (line) => lines.push(line));
    expect(lines).toHaveLength(before);
  });
});
