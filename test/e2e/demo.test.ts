import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../services/local-process.js';
import { tempDir } from '../temp-dirs.js';
import { node24, repoRoot } from './runner.js';

// The README's main-job command, on a copy of what it uses (so the repository's example stays clean).
function runDemo(root: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', [join(root, 'scripts', 'demo.sh')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(node24(), '..')}:${process.env.PATH ?? ''}` },
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run demo (scripts/demo.sh)', () => {
  it('runs the loop of a push, then of a schedule on a drifted batch, with mlops run; prints both reports; then hits the train cache', async () => {
    const root = tempDir('mlops-demo-');
    for (const path of ['scripts', 'dist', join('workflows-examples', 'penguins-node')]) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      cpSync(join(repoRoot, path), join(root, path), {
        recursive: true,
        filter: (source) => !/[/\\](model|\.mlops)$|[/\\](metrics\.json)$|penguins-node[/\\]predictions\.csv$/.test(source),
      });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
    // A free port for the served model, so the demo cannot collide with anything on this machine.
    const config = join(root, 'workflows-examples', 'penguins-node', 'mlops.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/port: \d+/, `port: ${await freePort()}`));

    const first = runDemo(root);
    expect({ status: first.status, stderr: first.stderr.split('\n').filter((l) => l.startsWith('error')) }).toEqual({
      status: 0,
      stderr: [],
    });
    // What a person reads: a short summary per stage, the learning curve folded away (it stays in train.log).
    const shown = `${first.stdout}${first.stderr}`.split('\n').filter(Boolean);
    expect(shown.filter((l) => l.includes('mlops-metric'))).toEqual([]);
    expect(Math.max(...shown.map((l) => l.length))).toBeLessThan(300);
    expect(first.stdout).toMatch(/^✔ validate-data: valid: 344 rows, 0 violations$/m);
    expect(first.stdout).toMatch(/^✔ loop \(push\): passed; production is v1$/m);
    expect(first.stdout.match(/^✔ train: trained in \d+\.\d s$/gm)).toHaveLength(2);
    expect(first.stdout.match(/^✔ evaluate: pass$/gm)).toHaveLength(2);
    expect(first.stdout).toMatch(/^✔ register: /m);
    expect(first.stdout).toMatch(/^✔ deploy: /m);
    expect(first.stdout).toMatch(/^penguins: serving at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(first.stderr).toMatch(/^ {2}\(\d{3} lines of output not shown; all of it is in .*\/train\/train\.log\)$/m);
    const report1 = /^Round 1 \(push, the committed data\): (.+loop\.md)$/m.exec(first.stdout)?.[1];
    expect(report1 && existsSync(report1)).toBe(true);
    expect(readFileSync(report1!, 'utf8')).toMatch(/^# mlops run \(push\): promoted v1 to production$/m);

    // Round 2: the drifted batch (Biscoe only) is caught against production's profile, the model retrained,
    // evaluated against production's registered metrics (other rows), registered as v2 and promoted.
    expect(first.stdout).toMatch(/^✔ validate-data: valid: 168 rows, 0 violations, drift in species, island, /m);
    expect(first.stderr).toMatch(/^ {2}dataset drift \(species, island, .*\): retraining$/m);
    expect(first.stderr).toMatch(
      /the data changed since v1 .*: its predictions are of other rows, so the baseline is its registered evaluation's metrics, unpaired/,
    );
    expect(first.stdout).toMatch(/^✔ loop \(schedule\): passed; production is v2$/m);
    const report2 = /^Round 2 \(schedule, a drifted batch\): (.+loop\.md)$/m.exec(first.stdout)?.[1];
    expect(report2 && existsSync(report2)).toBe(true);
    const round2 = JSON.parse(readFileSync(report2!.replace(/loop\.md$/, 'loop.json'), 'utf8')) as {
      steps: { step: string; status: string }[];
    };
    expect(Object.fromEntries(round2.steps.map((s) => [s.step, s.status]))).toEqual({
      'validate-data': 'passed',
      train: 'passed',
      evaluate: 'passed',
      register: 'passed',
      deploy: 'passed',
      'monitor-gate': 'passed',
      promote: 'passed',
    });
    // monitor-gate's decision, in each round: v1 alone on the live endpoint, then v2 as a canary beside v1.
    expect(first.stdout.match(/^✔ monitor-gate: promote \(pass\)/gm)).toHaveLength(2);
    expect(first.stderr).toMatch(/Analysing penguins v2 against stable v1 from /);

    // One id per round: a folder per stage under it, and the loop's report.
    const runs = readdirSync(join(root, '.mlops', 'runs')).sort();
    expect(runs).toHaveLength(2);
    expect(runs[1]).toBe(`${runs[0]}-2`);
    expect(readdirSync(join(root, '.mlops', 'runs', runs[0]!)).sort()).toEqual(
      expect.arrayContaining(['deploy', 'evaluate', 'loop.json', 'loop.md', 'register', 'train', 'validate-data']),
    );
    const log = readFileSync(join(root, '.mlops', 'runs', runs[0]!, 'train', 'train.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.startsWith('mlops-metric ')).length).toBe(300);

    const second = runDemo(root);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^✔ train: restored from the cache in \d+\.\d s \(the command did not run\)$/m);
    expect(second.stdout).not.toMatch(/mlops-metric /m);
    expect(readdirSync(join(root, '.mlops', 'runs'))).toHaveLength(4);
  }, 600_000);
});
