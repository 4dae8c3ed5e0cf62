// `mlops registry …` against Debian's docker-registry 2.8 with htpasswd auth (no referrers API: the
// tag-schema fallback): the password comes from MLOPS_REGISTRY_PASSWORD and never shows in any output.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../../services/docker-registry.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');

let registry: TestRegistry | undefined;
let dir: string;
const files: Record<string, Record<string, Buffer>> = {};
const digests: Record<string, string> = {};
const outputs: string[] = [];

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
  outputs.push(out, err);
  return { code, out, err };
}

function snapshot(folder: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name))]));
}

const withPassword = (): NodeJS.ProcessEnv => ({ MLOPS_REGISTRY_PASSWORD: registry!.credentials!.password });
const user = (): string[] => ['--username', registry!.credentials!.username];

beforeAll(async () => {
  registry = await startDockerRegistry('htpasswd');
  if (!registry) return;
  dir = mkdtempSync(join(tmpdir(), 'registry-cli-itg-'));
  cpSync(fixture, join(dir, 'model'), { recursive: true });
  for (const [version, accuracy] of [
    ['v1', 0.9489],
    ['v2', 0.93],
  ] as const) {
    if (version === 'v2')
      writeFileSync(join(dir, 'model', 'model.onnx.data'), Buffer.concat([files.v1!['model.onnx.data']!, Buffer.from('x')]));
    writeFileSync(join(dir, `metrics-${version}.json`), JSON.stringify({ accuracy }));
    const result = await cli([
      'register',
      '--model-path',
      'model',
      '--name',
      'digits',
      '--registry',
      `${registry.url}/team`,
      ...user(),
      '--password',
      registry.credentials!.password,
      '--metrics-file',
      `metrics-${version}.json`,
      ...(version === 'v1' ? ['--aliases', 'production'] : []),
      '--working-directory',
      dir,
      '--state-dir',
      join(dir, '.mlops'),
      '--output',
      'json',
    ]);
    expect([result.code, result.err.includes('error')]).toEqual([0, false]);
    digests[version] = (JSON.parse(result.out) as { digest: string }).digest;
    files[version] = snapshot(join(dir, 'model'));
  }
  outputs.length = 0; // the register runs were given the password as an input; the registry commands never are
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mlops registry on an OCI registry (docker-registry 2.8, htpasswd)', () => {
  it('lists, shows, promotes, rolls back, diffs and pulls byte-identical, with the password from the environment only', async () => {
    if (!registryOrSkip(registry)) return;
    const where = `${registry.url}/team/digits`;
    const short = (v: string): string => digests[v]!.slice(0, 19);

    const list = await cli(['registry', 'list', ...user(), where], withPassword());
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toBe(`${where}: 2 versions; production → v1`);
    // The tag-schema referrers indexes (sha256-<hex>) are the registry's bookkeeping, not versions.
    expect(list.out).not.toMatch(/sha256-/);
    // A bare name in --registry, and a name needed for a registry (no catalog).
    expect((await cli(['registry', 'list', '--registry', `${registry.url}/team`, ...user(), 'digits'], withPassword())).out).toBe(list.out);
    expect((await cli(['registry', 'list', '--registry', `${registry.url}/team`], withPassword())).code).toBe(1);

    const show = await cli(['registry', 'show', ...user(), `${where}@production`], withPassword());
    expect(show.code).toBe(0);
    expect(show.out).toContain(`  digest   ${digests.v1}\n`);
    expect(show.out).toMatch(/ {4}metrics +sha256:[0-9a-f]{12} +accuracy=0\.9489\n/);

    const promoted = await cli(['registry', 'promote', ...user(), `${where}@v2`, 'production'], withPassword());
    expect(promoted.out).toBe(`Promoted: production → v2 (${short('v2')}), was v1 (${short('v1')})\n`);
    const rolled = await cli(['registry', 'rollback', ...user(), where, 'production'], withPassword());
    expect(rolled.out).toBe(`Rolled back production: v2 (${short('v2')}) → v1 (${short('v1')})\n`);
    const history = await cli(['registry', 'history', ...user(), where, 'production'], withPassword());
    expect(
      history.out
        .split('\n')
        .filter((l) => /^ {2}\d/.test(l))
        .map((l) => l.split(/ +/)[3]),
    ).toEqual(['promote', 'promote', 'rollback']);

    const diff = await cli(['registry', 'diff', ...user(), `${where}@v1`, `${where}@v2`], withPassword());
    expect(diff.out.split('\n')[0]).toBe(`${where}@v1 → ${where}@v2: 1 file changed, 0 added, 0 removed, 3 unchanged; 1 metric differs`);

    const pulled = await cli(['registry', 'pull', ...user(), `${where}@production`, join(dir, 'pulled')], withPassword());
    expect(pulled.code).toBe(0);
    expect(snapshot(join(dir, 'pulled'))).toEqual(files.v1);

    const gc = await cli(['registry', 'gc', ...user(), where], withPassword());
    expect([gc.code, gc.err]).toEqual([
      1,
      `error: mlops registry gc works on image layout folders only; ${where} is a distribution registry, which collects its own garbage (its operator runs 'registry garbage-collect'): nothing removed\n`,
    ]);

    const anonymous = await cli(['registry', 'show', `${where}@v1`]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toMatch(/^error: .*requires credentials/);
    expect(anonymous.err).not.toMatch(/\n\s+at /);

    for (const text of outputs) expect(text).not.toContain(registry.credentials!.password);
  });
});
