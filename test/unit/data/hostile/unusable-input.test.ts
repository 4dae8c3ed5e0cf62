// Hostile input: unusable files are input errors naming the file (and line or row group), never "a bug".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { runValidateData, workspaceWith, type StageRun } from '../profile-run.js';

const rows = ['id,value,label'];
for (let i = 0; i < 20000; i++) rows.push(`${i},${(i * 7919) % 1000},${['a', 'b', 'c'][i % 3]}`);
const csv = rows.join('\n') + '\n';

function expectInputError(run: StageRun, file: string, more?: RegExp): string {
  const text = run.log.join('\n');
  expect(run.ok).toBe(false);
  expect(text).not.toMatch(/bug in mlops-actions|\n\s+at /);
  expect(text).toContain(file);
  if (more) expect(text).toMatch(more);
  return text;
}

describe('unusable .csv.gz', () => {
  const gz = gzipSync(Buffer.from(csv));

  it('a truncated file names the file and the line reached', async () => {
    const dir = workspaceWith({ 'data.csv.gz': gz.subarray(0, Math.floor(gz.length / 2)) });
    expectInputError(await runValidateData(dir, { data: 'data.csv.gz', 'fail-on': 'never' }), 'data.csv.gz', /line \d+/);
  });

  it('a corrupt file names the file', async () => {
    const bad = Buffer.from(gz);
    for (let i = Math.floor(bad.length / 2); i < Math.floor(bad.length / 2) + 64; i++) bad[i] ^= 0xa5;
    const dir = workspaceWith({ 'data.csv.gz': bad });
    expectInputError(await runValidateData(dir, { data: 'data.csv.gz' }), 'data.csv.gz', /decompress/);
  });

  it('a file that is not really gzip names the file', async () => {
    const dir = workspaceWith({ 'data.csv.gz': csv });
    expectInputError(await runValidateData(dir, { data: 'data.csv.gz' }), 'data.csv.gz', /gzip/);
  });
});

describe('a Parquet file with a corrupt page after the first row group', () => {
  it('names the file and the row group', async () => {
    const fixture = join(process.cwd(), 'test/fixtures/evaluate/penguins-predictions.parquet');
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(fixture));
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    const chunk = metadata.row_groups[1]!.columns[0]!.meta_data!;
    const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    const bytes = readFileSync(fixture);
    for (let i = start; i < start + 60; i++) bytes[i] ^= 0x5a;
    const dir = workspaceWith({ 'data.parquet': bytes });
    expectInputError(await runValidateData(dir, { data: 'data.parquet', 'fail-on': 'never' }), 'data.parquet', /row group 2/);
  });
});

const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

describe('a YAML bomb in a file', () => {
  it('as expectations names the file', async () => {
    const dir = workspaceWith({ 'data.csv': 'x\n1\n', 'expect.yaml': bomb });
    expectInputError(await runValidateData(dir, { data: 'data.csv', expectations: 'expect.yaml' }), 'expect.yaml', /alias/);
  });

  it('as a schema names the file', async () => {
    const dir = workspaceWith({ 'data.csv': 'x\n1\n', 'schema.yaml': `fields: [{name: x, type: integer}]\n${bomb}` });
    expectInputError(await runValidateData(dir, { data: 'data.csv', schema: 'schema.yaml' }), 'schema.yaml', /alias/);
  });
});

describe('a reference profile that cannot be read back', () => {
  async function referenceRun(edit: (profile: { columns: Record<string, unknown>[] }) => void): Promise<StageRun> {
    const dir = workspaceWith({ 'data.csv': 'x,y\n1,a\n2,b\n3,a\n' });
    const first = await runValidateData(dir, { data: 'data.csv' });
    const profile = first.profile as unknown as { columns: Record<string, unknown>[] };
    edit(profile);
    writeFileSync(join(dir, 'ref.json'), JSON.stringify(profile));
    return runValidateData(dir, { data: 'data.csv', reference: 'ref.json', 'fail-on': 'never' });
  }

  it('without sketches names the file and column', async () => {
    const run = await referenceRun((p) => p.columns.forEach((c) => delete c.sketches));
    expectInputError(run, 'ref.json', /column "x".*sketches/);
  });

  it('with a broken sketch names the file and column', async () => {
    const run = await referenceRun((p) => {
      const sketches = p.columns[0]!.sketches as Record<string, Record<string, unknown>>;
      sketches.quantiles!.items = 'not base64 of floats!';
    });
    expectInputError(run, 'ref.json', /column "x".*quantile sketch/);
  });

  it('with a broken categorical sketch names the file and column', async () => {
    const run = await referenceRun((p) => {
      (p.columns[1]!.sketches as Record<string, unknown>).top = { kind: 'space-saving', capacity: 64, entries: [[1, 2]] };
    });
    expectInputError(run, 'ref.json', /column "y".*top values/);
  });
});
