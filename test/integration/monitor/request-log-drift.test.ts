/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// The request log the serving runtime really writes (the digits model served from its folder, the log
// on), read back by the monitor: the drift it measures from the log is the drift the runtime measured
// live from the same requests (the same sketches fed the same values in the same order).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnDrift } from '../../../shared/data/drift.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { readRequestLogDrift } from '../../../shared/monitor/request-log-drift.js';
import { startModelServer, type ModelServer } from '../../../shared/serve/model-server.js';
import { tempDir } from '../../temp-dirs.js';
import { profileOf } from '../../unit/data/profile-run.js';
import { postJson } from '../serve/http-client.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');
const rows = readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8')
  .trimEnd()
  .split('\n')
  .map((line) => (JSON.parse(line) as { input: number[] }).input);

let server: ModelServer | undefined;
let reference: ProfileJSON;
let logDir: string;

beforeAll(async () => {
  // The reference: validate-data's profile of the fixture's rows, one column per feature as the runtime names them.
  const header = Array.from({ length: 64 }, (_, i) => `input_${i}`).join(',');
  reference = await profileOf([header, ...rows.map((r) => r.join(','))].join('\n') + '\n', 'digits.csv');
  logDir = tempDir('monitor-request-log-');
  server = await startModelServer({
    modelDir: FIXTURE,
    name: 'digits',
    version: '3',
    profile: reference,
    requestLog: { dir: logDir, capacity: 10_000, periodMs: 3_600_000 },
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('drift from the serving runtime’s request log', () => {
  it('equals the drift the runtime measured live from the same requests', async () => {
    // 60 requests of 3 rows; the right half of every image dimmed, so the columns of that half drift.
    for (let i = 0; i < 60; i++) {
      const batch = [0, 1, 2].map((k) => rows[(i * 3 + k) % rows.length]!.map((v, j) => (j % 8 >= 4 ? v * 0.25 : v)));
      const response = await postJson(server!.url, '/v2/models/digits/infer', {
        id: `req-${i}`,
        inputs: [{ name: 'input', shape: [3, 64], datatype: 'FP32', data: batch.flat() }],
      });
      expect(response.status).toBe(200);
    }
    const live = server!.liveProfiles().drift as ColumnDrift[];
    await server!.stop();
    server = undefined;

    const drift = await readRequestLogDrift(logDir, { reference, model: 'digits', version: '3' });
    expect(drift.files).toHaveLength(1);
    expect(drift.entries).toBe(60);
    expect(drift.rows).toBe(180);
    expect(drift.skipped).toEqual({ malformed: 0, otherModel: 0, beforeSince: 0 });
    expect(drift.missing).toEqual([]);
    expect(drift.unknown).toEqual([]);
    expect(live).toHaveLength(64);
    expect(drift.columns.map(({ psi: _psi, ...rest }) => rest)).toEqual(live);
    // The dimmed half drifted where the pixels vary; the other half did not.
    const drifted = new Set(drift.columns.filter((c) => c.status === 'drift').map((c) => c.column));
    expect(drifted.size).toBeGreaterThan(5);
    for (const name of drifted) expect(Number(name.slice('input_'.length)) % 8).toBeGreaterThanOrEqual(4);
    // Another version's log is not read as this one's.
    const other = await readRequestLogDrift(logDir, { reference, model: 'digits', version: '4' });
    expect(other).toMatchObject({ entries: 0, skipped: { otherModel: 60 }, columns: [] });
  });
});
