// The register bundle run as the runner runs it, on real penguins-node models (a 3-epoch baseline and a
// 300-epoch candidate on the same held-out rows): into a layout and into Debian's docker-registry, read
// back by skopeo, promoted and rolled back with history, and used as evaluate's baseline.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aliasHistory, rollbackAlias } from '../../shared/registry/aliases.js';
import { DistributionRepository } from '../../shared/registry/distribution-client.js';
import { ImageLayoutRepository } from '../../shared/registry/image-layout.js';
import { referrersOfKind } from '../../shared/registry/lineage.js';
import { pullModelPackage } from '../../shared/registry/pull.js';
import { trainPenguins } from '../integration/evaluate/example-predictions.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../services/docker-registry.js';
import { runAction, type ActionRun } from './runner.js';

let workspace: string;
let registry: TestRegistry | undefined;

beforeAll(async () => {
  workspace = trainPenguins();
  // Same seed, same split: the 3-epoch baseline predicts the same held-out rows.
  const baseline = trainPenguins({ epochs: 3, learning_rate: 0.05 });
  mkdirSync(join(workspace, 'baseline'), { recursive: true });
  for (const file of ['model', 'predictions.csv', 'metrics.json'])
    cpSync(join(baseline, file), join(workspace, 'baseline', file), { recursive: true });
  rmSync(baseline, { recursive: true, force: true });
  registry = await startDockerRegistry('anonymous');
});

afterAll(async () => {
  await registry?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

function register(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('register', { workspace, inputs: { name: 'penguins', ...inputs }, env: { SOURCE_DATE_EPOCH: '1767225600', ...env } });
}

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const files = (dir: string): Record<string, string> =>
  Object.fromEntries(
    execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => [f.slice(dir.length + 1), execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0]!]),
  );

describe('register into a layout', () => {
  const layout = () => new ImageLayoutRepository(join(workspace, '.mlops', 'registry', 'penguins'));

  it('registers the baseline as v1 with lineage and an alias; skopeo reads it', async () => {
    const run = await register({
      'model-path': 'baseline/model',
      'metrics-file': 'baseline/metrics.json',
      predictions: 'baseline/predictions.csv',
      aliases: 'production',
    });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.version).toBe('v1');
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.reference).toBe(`.mlops/registry/penguins@${run.outputs.digest}`);
    expect(JSON.parse(run.outputs.previous!)).toEqual({ production: null });
    expect(run.summary).toContain('register: penguins v1 registered');
    const raw = execFileSync('skopeo', ['inspect', '--raw', `oci:${join(workspace, '.mlops/registry/penguins')}:v1`]);
    expect(`sha256:${execFileSync('sha256sum', { input: raw, encoding: 'utf8' }).split(' ')[0]}`).toBe(run.outputs.digest);
    expect(JSON.parse(raw.toString()).artifactType).toBe('application/vnd.cncf.model.manifest.v1+json');
    const metrics = await referrersOfKind(layout(), run.outputs.digest!, 'metrics');
    expect(Object.keys(metrics[0]!.annotations!)).toContainEqual(
      expect.stringMatching(/^io\.github\.mlops-actions\.metric\.(validation\.)?accuracy$/),
    );
    expect((await layout().getManifest('production'))?.digest).toBe(run.outputs.digest);
  });

  it('the same content again is a no-op that says so; another content under v1 is refused', async () => {
    const again = await register({ 'model-path': 'baseline/model' });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.version).toBe('v1');
    expect(again.stdout).toContain('already registered with this content');
    const clash = await register({ 'model-path': 'model', version: 'v1' });
    expect(clash.exitCode).toBe(1);
    expect(errors(clash).join('\n')).toMatch(/version v1 of .* already exists with other content .* versions are immutable/);
  });

  it('evaluate compares against the registered production model, paired on its stored predictions', async () => {
    const run = await runAction('evaluate', {
      workspace,
      inputs: {
        predictions: 'predictions.csv',
        baseline: '.mlops/registry/penguins@production',
        'id-column': 'id',
        'bootstrap-samples': '200',
        gates: 'accuracy >= baseline - 0.01',
      },
      env: { MLOPS_STATE_DIR: join(workspace, '.mlops') },
    });
    expect(errors(run)).toEqual([]);
    expect(run.stdout).toContain('comparing against its registered predictions');
    cpSync(run.outputs['report-json']!, join(workspace, 'evaluation.json'));
    const report = JSON.parse(readFileSync(join(workspace, 'evaluation.json'), 'utf8'));
    expect(report.baseline).toEqual({ name: '.mlops/registry/penguins@production', kind: 'paired by id' });
    expect(report.verdict).toBe('pass');
  });

  it('require-verdict refuses a failed evaluation and registers nothing', async () => {
    writeFileSync(join(workspace, 'failed.json'), JSON.stringify({ verdict: 'fail', metrics: {} }));
    const before = await layout().listTags();
    const run = await register({ 'model-path': 'model', evaluation: 'failed.json', 'require-verdict': 'pass', aliases: 'production' });
    expect(run.exitCode).toBe(1);
    expect(errors(run).join('\n')).toContain('not registered: the evaluation\'s verdict is "fail", and require-verdict asks for pass');
    expect(await layout().listTags()).toEqual(before);
  });

  it('promotes the candidate, then rolls production back to the baseline, with the history in the registry', async () => {
    const v1 = (await layout().getManifest('v1'))!.digest;
    const run = await register({ 'model-path': 'model', evaluation: 'evaluation.json', 'require-verdict': 'pass', aliases: 'production' });
    expect(errors(run)).toEqual([]);
    expect(run.outputs.version).toBe('v2');
    expect(JSON.parse(run.outputs.previous!)).toEqual({ production: v1 });
    const evaluation = await referrersOfKind(layout(), run.outputs.digest!, 'evaluation');
    expect(evaluation[0]!.annotations!['io.github.mlops-actions.verdict']).toBe('pass');

    const back = await rollbackAlias(layout(), 'production', { now: new Date() });
    expect(back).toMatchObject({ from: run.outputs.digest, to: v1, moved: true, version: 'v1' });
    expect((await layout().getManifest('production'))?.digest).toBe(v1);
    const history = await aliasHistory(layout(), 'production');
    expect(history.map((e) => [e.action, e.to])).toEqual([
      ['promote', v1],
      ['promote', run.outputs.digest],
      ['rollback', v1],
    ]);
    await expect(rollbackAlias(layout(), 'production', { now: new Date() })).rejects.toThrow(/no earlier model on record/);

    const target = mkdtempSync(join(tmpdir(), 'pulled-'));
    await pullModelPackage(layout(), (await layout().getManifest('production'))!, join(target, 'model'));
    expect(files(join(target, 'model'))).toEqual(files(join(workspace, 'baseline', 'model')));
    rmSync(target, { recursive: true, force: true });
  });

  it('a bad name is an input error naming the input, with no stack trace', async () => {
    const run = await register({ 'model-path': 'model', name: 'Penguins!' });
    expect(run.exitCode).toBe(1);
    expect(errors(run).join('\n')).toContain("Input 'name'");
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('register into an OCI registry (docker-registry 2.8)', () => {
  it('pushes with lineage through the tag-schema fallback; skopeo reads it; a second push uploads nothing; pull is byte-identical', async () => {
    if (!registryOrSkip(registry)) return;
    const inputs = { 'model-path': 'model', registry: `${registry.url}/team`, 'metrics-file': 'metrics.json', aliases: 'staging' };
    const run = await register(inputs);
    expect(errors(run)).toEqual([]);
    expect(run.outputs.reference).toBe(`${registry.url}/team/penguins@${run.outputs.digest}`);
    const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/team/penguins:v1`]);
    expect(`sha256:${execFileSync('sha256sum', { input: raw, encoding: 'utf8' }).split(' ')[0]}`).toBe(run.outputs.digest);
    const remote = new DistributionRepository(`${registry.url}/team/penguins`);
    expect(await remote.listTags()).toEqual(expect.arrayContaining(['v1', 'staging', `sha256-${run.outputs.digest!.slice(7)}`]));
    expect((await referrersOfKind(remote, run.outputs.digest!, 'metrics')).length).toBe(1);

    const again = await register(inputs);
    expect(again.outputs.version).toBe('v1');
    expect(again.stdout).toContain('already registered with this content');

    const target = mkdtempSync(join(tmpdir(), 'pulled-'));
    await pullModelPackage(remote, (await remote.getManifest('staging'))!, join(target, 'model'));
    expect(files(join(target, 'model'))).toEqual(files(join(workspace, 'model')));
    rmSync(target, { recursive: true, force: true });
  });

  it('we pull what skopeo copied from our layout into the registry, byte for byte', async () => {
    if (!registryOrSkip(registry)) return;
    const layoutDir = join(workspace, '.mlops', 'registry', 'penguins');
    execFileSync('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layoutDir}:v1`, `docker://${registry.host}/copied/penguins:v1`], {
      stdio: 'pipe',
    });
    const copied = new DistributionRepository(`${registry.url}/copied/penguins`);
    const manifest = (await copied.getManifest('v1'))!;
    expect(manifest.digest).toBe((await new ImageLayoutRepository(layoutDir).getManifest('v1'))!.digest);
    const target = mkdtempSync(join(tmpdir(), 'pulled-'));
    await pullModelPackage(copied, manifest, join(target, 'model'));
    expect(files(join(target, 'model'))).toEqual(files(join(workspace, 'baseline', 'model')));
    rmSync(target, { recursive: true, force: true });
  });

  it.each(['layout', 'registry'])('version: auto in two parallel runs (%s) never gives one version two contents', async (where) => {
    if (where === 'registry' && !registryOrSkip(registry)) return;
    const target = where === 'layout' ? { registry: '.mlops/race' } : { registry: `${registry!.url}/race` };
    const [a, b] = await Promise.all([
      register({ 'model-path': 'model', ...target }),
      register({ 'model-path': 'baseline/model', ...target }),
    ]);
    expect([errors(a), errors(b)]).toEqual([[], []]);
    expect(new Set([a.outputs.version, b.outputs.version])).toEqual(new Set(['v1', 'v2']));
    const repository =
      where === 'layout'
        ? new ImageLayoutRepository(join(workspace, '.mlops', 'race', 'penguins'))
        : new DistributionRepository(`${registry!.url}/race/penguins`);
    for (const run of [a, b]) expect((await repository.getManifest(run.outputs.version!))?.digest).toBe(run.outputs.digest);
  });

  it('an unreachable registry is a clear service error, and nothing is left half-written', async () => {
    const run = await register({ 'model-path': 'model', registry: 'oci://127.0.0.1:9/team' }, {});
    expect(run.exitCode).toBe(1);
    expect(errors(run).join('\n')).toMatch(/registry 127\.0\.0\.1:9/);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
