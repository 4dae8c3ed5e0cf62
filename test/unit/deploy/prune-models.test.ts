// The process target removes pulled model folders that no version in its state uses, once they are old
// enough that no parallel run can be about to serve them.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessTarget, type ProcessState } from '../../../shared/deploy/process-target.js';
import { tempDir } from '../../temp-dirs.js';

describe('ProcessTarget model folders', () => {
  it('keeps the rollback target and young folders, removes old unused ones', async () => {
    const stateDir = tempDir('prune-models-');
    const models = join(stateDir, 'models');
    const folder = (name: string, ageMs: number): string => {
      const path = join(models, name);
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, 'model.onnx'), 'x');
      const time = new Date(Date.now() - ageMs);
      utimesSync(path, time, time);
      return path;
    };
    const old = folder('sha256-old', 3_600_000);
    const previous = folder('sha256-previous', 3_600_000);
    const young = folder('sha256-young', 1_000);
    const state: ProcessState = {
      host: '127.0.0.1',
      port: 8080,
      candidates: [],
      previous: { name: 'digits', reference: 'r', digest: 'sha256:p', version: 'v1', modelDir: previous },
    };
    writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state));
    // Discarding a candidate that is already gone never throws, and prunes.
    await new ProcessTarget({ stateDir }).discard({ directUrl: 'http://127.0.0.1:1', id: '999999999' });
    expect([existsSync(old), existsSync(previous), existsSync(young)]).toEqual([false, true, true]);
  });
});
