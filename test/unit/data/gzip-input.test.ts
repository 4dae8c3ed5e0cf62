import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runValidateData, workspaceWith } from './profile-run.js';
import { penguinsCsv } from './real-data.js';

const schema = readFileSync(fileURLToPath(new URL('../../../workflows-examples/penguins-node/schema.yaml', import.meta.url)), 'utf8');

describe('gzip-compressed CSV', () => {
  it('reads the header once: the same rows, violations and lines as the plain file', async () => {
    // The example schema with a lower mass limit, so some rows break it.
    const strict = schema.replace('maximum: 6500', 'maximum: 6000');
    const dir = workspaceWith({
      'penguins.csv': readFileSync(penguinsCsv),
      'penguins.csv.gz': gzipSync(readFileSync(penguinsCsv)),
      'strict.yaml': strict,
      'schema.yaml': schema,
    });
    const ok = await runValidateData(dir, { data: 'penguins.csv.gz', schema: 'schema.yaml' });
    expect([ok.ok, ok.outputs.rows, ok.outputs['error-count']]).toEqual([true, '344', '0']);
    const plain = await runValidateData(dir, { data: 'penguins.csv', schema: 'strict.yaml' });
    const gzip = await runValidateData(dir, { data: 'penguins.csv.gz', schema: 'strict.yaml' });
    const lines = (log: string[]) =>
      log.filter((l) => l.startsWith('error: penguins.csv')).map((l) => l.replace('penguins.csv.gz', 'penguins.csv'));
    expect(lines(plain.log).length).toBeGreaterThan(0);
    expect(lines(gzip.log)).toEqual(lines(plain.log));
    expect(gzip.outputs['error-count']).toBe(plain.outputs['error-count']);
  });
});
