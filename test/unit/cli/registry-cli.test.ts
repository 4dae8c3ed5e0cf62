// `mlops registry …` run as a user runs it, against a layout filled by `mlops register`: two versions of
// the GPU-trained digits model (external weights), with metrics and evaluation lineage.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { REGISTRY_COMMANDS } from '../../../shared/cli/help.js';
import { sha256Digest } from '../../../shared/registry/blob-digest.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');

let dir: string;
let layout: string;
const digests: Record<string, string> = {};
/** The model files as registered, per version: what a pull must give back byte for byte. */
const files: Record<string, Record<string, Buffer>> = {};

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const exitCode = process.exitCode;
  const code = await runCli(
    argv,
    (t) => (out += t),
    (t) => (err += t),
    { env, cwd: dir },
  );
  process.exitCode = exitCode;
  return { code, out, err };
}

function snapshot(folder: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name))]));
}

async function register(version: string, metrics: object, verdict: string, aliases: string[] = []): Promise<void> {
  writeFileSync(join(dir, `metrics-${version}.json`), JSON.stringify(metrics));
  writeFileSync(
    join(dir, `evaluation-${version}.json`),
    JSON.stringify({ verdict, metrics: { accuracy: (metrics as { accuracy: number }).accuracy } }),
  );
  const result = await cli([
    'register',
    '--model-path',
    'model',
    '--name',
    'digits',
    '--metrics-file',
    `metrics-${version}.json`,
    '--evaluation',
    `evaluation-${version}.json`,
    ...aliases.flatMap((a) => ['--aliases', a]),
    '--working-directory',
    dir,
    '--state-dir',
    join(dir, '.mlops'),
    '--output',
    'json',
  ]);
  expect(result.code).toBe(0);
  const outputs = JSON.parse(result.out) as { version: string; digest: string };
  expect(outputs.version).toBe(version);
  digests[version] = outputs.digest;
  files[version] = snapshot(join(dir, 'model'));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'registry-cli-'));
  layout = join(dir, '.mlops', 'registry', 'digits');
  cpSync(fixture, join(dir, 'model'), { recursive: true });
  await register('v1', { accuracy: 0.9489, loss: 0.21, epochs: 60 }, 'pass', ['production']);
  // v2: other weights (one file changes, the graph and the rest stay), worse metrics, a failing verdict.
  const weights = join(dir, 'model', 'model.onnx.data');
  writeFileSync(weights, Buffer.concat([readFileSync(weights), Buffer.from('retrained')]));
  // train's metrics nest by split, and an estimate may carry its interval: read as test.f1.
  await register('v2', { accuracy: 0.93, loss: 0.25, epochs: 60, test: { f1: { value: 0.91, low: 0.89, high: 0.93 } } }, 'fail');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const short = (version: string): string => digests[version]!.slice(0, 'sha256:'.length + 12);

describe('mlops registry', () => {
  it('lists the names in the layout folder, and one name’s versions with digest, time and aliases', async () => {
    const names = await cli(['registry', 'list']);
    expect([names.code, names.out]).toEqual([0, '1 model in .mlops/registry:\n  digits\n']);

    const versions = await cli(['registry', 'list', 'digits']);
    expect(versions.code).toBe(0);
    const lines = versions.out.split('\n');
    expect(lines[0]).toBe('.mlops/registry/digits: 2 versions; production → v1');
    expect(lines[1]).toMatch(/^ {2}VERSION +DIGEST +CREATED +ALIASES$/);
    expect(lines[2]).toMatch(new RegExp(`^  v1 +${short('v1')} +\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z +production$`));
    expect(lines[3]).toMatch(new RegExp(`^  v2 +${short('v2')} +\\S+$`));
    // The path form names the same repository.
    expect((await cli(['registry', 'list', '.mlops/registry/digits'])).out).toContain('2 versions');
  });

  it('shows a model by alias, version or digest: digest, files, format and its lineage with metrics and verdict', async () => {
    const shown = await cli(['registry', 'show', 'digits@production']);
    expect(shown.code).toBe(0);
    expect(shown.out.split('\n')[0]).toBe('.mlops/registry/digits v1 (production)');
    expect(shown.out).toContain(`  digest   ${digests.v1}\n`);
    expect(shown.out).toContain('  format   onnx\n');
    expect(shown.out).toMatch(/ {4}model\.onnx +4\.4 KiB +weight\n/);
    expect(shown.out).toMatch(/ {4}model\.onnx\.data +[\d.]+ KiB +weight\n/);
    expect(shown.out).toMatch(/ {4}metrics +sha256:[0-9a-f]{12} +accuracy=0\.9489, epochs=60, loss=0\.21\n/);
    expect(shown.out).toMatch(/ {4}evaluation +sha256:[0-9a-f]{12} +verdict pass, accuracy=0\.9489\n/);
    expect(shown.out).toContain('alias moves to this model: production (1)');
    for (const ref of [`.mlops/registry/digits@v1`, `digits@${digests.v1}`, `${layout}@v1`])
      expect((await cli(['registry', 'show', ref])).out).toContain(`  digest   ${digests.v1}\n`);
  });

  it('promotes, lists the history and rolls back, printing where the alias moved', async () => {
    const promoted = await cli(['registry', 'promote', 'digits@v2', 'production']);
    expect([promoted.code, promoted.out]).toEqual([0, `Promoted: production → v2 (${short('v2')}), was v1 (${short('v1')})\n`]);
    const again = await cli(['registry', 'promote', 'digits@v2', 'production']);
    expect(again.out).toBe(`production already points at v2 (${short('v2')}): nothing moved.\n`);
    const staging = await cli(['registry', 'promote', `digits@${digests.v1}`, 'staging']);
    expect(staging.out).toBe(`Promoted: staging → v1 (${short('v1')}) (new alias)\n`);

    const history = await cli(['registry', 'history', 'digits', 'production']);
    expect(history.code).toBe(0);
    const rows = history.out.trimEnd().split('\n');
    expect(rows[0]).toBe(`production in .mlops/registry/digits: 2 moves, now at v2 (${short('v2')})`);
    expect(rows[1]).toMatch(/^ {2}SEQ +TIME +ACTION +FROM +TO +VERSION +RUN$/);
    expect(rows[2]).toMatch(new RegExp(`^  1 +\\S+Z +promote +\\(new\\) +${short('v1')} +v1 +—$`));
    expect(rows[3]).toMatch(new RegExp(`^  2 +\\S+Z +promote +${short('v1')} +${short('v2')} +v2 +—$`));

    const rolled = await cli(['registry', 'rollback', 'digits', 'production']);
    expect([rolled.code, rolled.out]).toEqual([0, `Rolled back production: v2 (${short('v2')}) → v1 (${short('v1')})\n`]);
    const after = await cli(['registry', 'history', '.mlops/registry/digits', 'production']);
    expect(after.out).toMatch(new RegExp(`\\n  3 +\\S+Z +rollback +${short('v2')} +${short('v1')} +v1 +—\\n`));
    expect((await cli(['registry', 'list', 'digits'])).out.split('\n')[0]).toBe(
      '.mlops/registry/digits: 2 versions; production → v1, staging → v1',
    );
    // Nothing earlier than v1 on record: a clear refusal, not a move.
    const none = await cli(['registry', 'rollback', 'digits', 'production']);
    expect([none.code, none.err]).toEqual([
      1,
      "error: alias 'production' in .mlops/registry/digits has no earlier model on record: nothing to roll back to\n",
    ]);
  });

  it('diffs two versions: the changed file by layer digest, metrics from the metrics file and the evaluation, the verdicts', async () => {
    const diff = await cli(['registry', 'diff', 'digits@v1', 'digits@v2']);
    expect(diff.code).toBe(0);
    expect(diff.out).toBe(
      [
        'digits@v1 → digits@v2: 1 file changed, 0 added, 0 removed, 3 unchanged; 4 metrics differ',
        'files',
        `  changed  model.onnx.data  ${files.v1!['model.onnx.data']!.length} B → ${files.v2!['model.onnx.data']!.length} B`,
        'metrics (1 more the same)',
        '  METRIC               A       B     CHANGE',
        '  accuracy             0.9489  0.93  -0.0189',
        '  evaluation.accuracy  0.9489  0.93  -0.0189',
        '  loss                 0.21    0.25  +0.04',
        '  test.f1              —       0.91',
        'verdict: pass → fail',
        '',
      ].join('\n'),
    );
    const same = await cli(['registry', 'diff', 'digits@production', 'digits@v1']);
    expect(same.out).toBe(`digits@production and digits@v1 are the same model (${digests.v1})\n`);
  });

  it('pulls byte-identical files and prints them with the digest', async () => {
    for (const version of ['v1', 'v2']) {
      const target = join(dir, `pulled-${version}`);
      const pulled = await cli(['registry', 'pull', `digits@${version}`, target]);
      expect(pulled.code).toBe(0);
      expect(pulled.out.split('\n')[0]).toMatch(
        new RegExp(`^Pulled digits@${version} into .*: 4 files, [\\d.]+ KiB, every digest verified$`),
      );
      expect(pulled.out).toContain(`  digest  ${digests[version]}\n`);
      expect(snapshot(target)).toEqual(files[version]);
    }
    const occupied = await cli(['registry', 'pull', 'digits@v1', join(dir, 'pulled-v1')]);
    expect(occupied.code).toBe(1);
    expect(occupied.err).toMatch(/^error: cannot pull into .*pulled-v1: the folder is not empty/);
    expect((await cli(['registry', 'pull', 'digits@v2', join(dir, 'pulled-v1'), '--replace'])).code).toBe(0);
    expect(snapshot(join(dir, 'pulled-v1'))).toEqual(files.v2);
  });

  it('gc removes an unreferenced blob from the layout and keeps every version pullable; refuses oci:// saying why', async () => {
    const stray = Buffer.from('a blob no manifest references');
    const strayPath = join(layout, 'blobs', 'sha256', sha256Digest(stray).slice('sha256:'.length));
    writeFileSync(strayPath, stray);
    const young = await cli(['registry', 'gc', 'digits']);
    expect(young.out).toBe('Nothing to remove in .mlops/registry/digits: every blob older than 10 minutes is referenced.\n');
    expect(existsSync(strayPath)).toBe(true);
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(strayPath, hourAgo, hourAgo);
    const collected = await cli(['registry', 'gc']);
    expect([collected.code, collected.out]).toEqual([
      0,
      `Removed 1 unreferenced blob from .mlops/registry/digits, freed ${stray.length} B\n`,
    ]);
    expect(existsSync(strayPath)).toBe(false);
    const pulled = await cli(['registry', 'pull', 'digits@v1', join(dir, 'after-gc')]);
    expect(pulled.code).toBe(0);
    expect(snapshot(join(dir, 'after-gc'))).toEqual(files.v1);

    const remote = await cli(['registry', 'gc', 'oci://127.0.0.1:5999/team/digits']);
    expect([remote.code, remote.out]).toEqual([1, '']);
    expect(remote.err).toBe(
      "error: mlops registry gc works on image layout folders only; oci://127.0.0.1:5999/team/digits is a distribution registry, which collects its own garbage (its operator runs 'registry garbage-collect'): nothing removed\n",
    );
    expect((await cli(['registry', 'gc', '--registry', 'oci://127.0.0.1:5999/team'])).code).toBe(1);
  });

  it('says clearly what is wrong with bad input, with exit code 2 for usage and 1 for a bad reference, never a stack trace', async () => {
    const cases: [string[], number, string][] = [
      [
        ['registry', 'lst'],
        2,
        "mlops: unknown registry command 'lst'; did you mean list? (commands: list, show, pull, promote, rollback, history, diff, gc)\n",
      ],
      [
        ['registry', 'promote', 'digits@v1'],
        2,
        'mlops: mlops registry promote needs <alias> (usage: mlops registry promote <ref> <alias>)\n',
      ],
      [['registry', 'diff', 'digits@v1'], 2, 'mlops: mlops registry diff needs <ref-b> (usage: mlops registry diff <ref-a> <ref-b>)\n'],
      [['registry', 'show', 'digits@v1', 'extra'], 2, "mlops: unexpected argument 'extra' (usage: mlops registry show <ref>)\n"],
      [
        ['registry', 'show', 'digits@v1', '--regsitry', 'x'],
        2,
        'mlops: unknown option --regsitry; did you mean --registry? (mlops registry show --help lists the options)\n',
      ],
      [
        ['registry', 'show', 'digits@v1', '--replace'],
        2,
        'mlops: --replace is not an option of mlops registry show (mlops registry show --help lists the options)\n',
      ],
      [
        ['registry', 'list', '--password', 'secret'],
        2,
        'mlops: there is no --password: put the password or token in the environment variable MLOPS_REGISTRY_PASSWORD\n',
      ],
      [
        ['registry', 'show', 'digits'],
        1,
        "error: model reference 'digits' has no '@<alias|version|digest>': expected '<registry>/<name>@<alias|version|sha256:…>' (e.g. '.mlops/registry/penguins@v3', 'oci://ghcr.io/acme/penguins@production') or '<name>@<alias|version|digest>' in --registry\n",
      ],
      [
        ['registry', 'show', 'digits@prodution'],
        1,
        "error: .mlops/registry/digits has no version or alias 'prodution'; did you mean production? (mlops registry list shows them)\n",
      ],
      [
        ['registry', 'show', 'digit@v1'],
        1,
        "error: no model named 'digit' in .mlops/registry; did you mean digits? (mlops registry list --registry .mlops/registry shows the names)\n",
      ],
      [
        ['registry', 'show', '.mlops/registry/digit@v1'],
        1,
        "error: '.mlops/registry/digit' is neither a model name in .mlops/registry nor an OCI image layout folder (no oci-layout in .mlops/registry/digit); did you mean digits?\n",
      ],
      [
        ['registry', 'history', 'digits', 'prodution'],
        1,
        "error: alias 'prodution' does not exist in .mlops/registry/digits; did you mean production? (aliases: production, staging)\n",
      ],
      [
        ['registry', 'rollback', 'digits', 'canary'],
        1,
        "error: alias 'canary' does not exist in .mlops/registry/digits: nothing to roll back\n",
      ],
      [
        ['registry', 'promote', 'digits@v2', 'v1'],
        1,
        "error: alias 'v1' looks like a version (v<N>), and versions are immutable: use a name such as staging or production\n",
      ],
      [
        ['registry', 'promote', 'digits@v2', 'bad alias'],
        1,
        `error: alias 'bad alias' is not a valid OCI tag: expected up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"\n`,
      ],
      [
        ['registry', 'list', '--registry', 'oci://127.0.0.1:5999/team'],
        1,
        'error: mlops registry list needs a model name for oci://127.0.0.1:5999/team: OCI registries often disable the catalog API that lists names (e.g. mlops registry list --registry oci://127.0.0.1:5999/team penguins)\n',
      ],
      [
        ['registry', 'list', 'digits', '--username', 'ci'],
        1,
        'error: --username ci needs its password or token in the environment variable MLOPS_REGISTRY_PASSWORD\n',
      ],
    ];
    for (const [argv, code, err] of cases) {
      const result = await cli(argv);
      expect([argv, result.code, result.err, result.out]).toEqual([argv, code, err, '']);
    }
  });

  it('has help for the group and for each command, naming the options and where the password comes from', async () => {
    const help = await cli(['registry', '--help']);
    expect(help.code).toBe(0);
    for (const command of REGISTRY_COMMANDS)
      expect(help.out).toContain(`  ${`${command.name} ${command.args.join(' ')}`.padEnd(28)} ${command.summary}`);
    expect(help.out).toContain('MLOPS_REGISTRY_PASSWORD');
    const pull = await cli(['registry', 'pull', '--help']);
    expect(pull.code).toBe(0);
    expect(pull.out).toMatch(/^mlops registry pull <ref> <target-dir>: /);
    expect(pull.out).toContain('--replace');
    expect((await cli(['registry'])).code).toBe(2);
    expect((await cli(['--help'])).out).toContain('mlops registry <command>');
    expect((await cli(['registy'])).err).toContain('did you mean registry?');
  });
});
