/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// `mlops serve <folder>` through the CLI's entry function: it serves in the foreground, logs a traffic
// line per period (not per request), stops gracefully when told to; usage mistakes exit 2, a missing
// model folder exits 1 with one clear line.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { moveAlias } from '../../../shared/registry/aliases.js';
import { ImageLayoutRepository } from '../../../shared/registry/image-layout.js';
import { buildModelPackage, pushModelPackage } from '../../../shared/registry/model-package.js';
import { postJson, send } from './http-client.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');

describe('mlops serve', () => {
  it('serves a registered model by reference: pulled, verified, named and versioned from the registry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-registry-'));
    const saved = process.env.MLOPS_STATE_DIR;
    process.env.MLOPS_STATE_DIR = join(dir, 'state');
    try {
      const layout = new ImageLayoutRepository(join(dir, 'registry', 'digits'));
      const pkg = await buildModelPackage(FIXTURE, { name: 'digits' });
      await pushModelPackage(layout, pkg, 'v3');
      await moveAlias(layout, 'production', pkg.manifest, { action: 'promote', version: 'v3', now: new Date() });
      const stop = new AbortController();
      const lines: string[] = [];
      let listening: (url: string) => void = () => undefined;
      const url = new Promise<string>((resolve) => (listening = resolve));
      const exit = runCli(
        ['serve', `${join(dir, 'registry', 'digits')}@production`, '--port', '0'],
        () => undefined,
        (t) => lines.push(t),
        {
          stop: stop.signal,
          onListening: listening,
        },
      );
      const base = await url;
      expect((await send(base, 'GET', '/v2/models/digits')).json.versions).toEqual(['v3']);
      // The GPU-trained model answers exactly what its trainer computed (float32 logits printed as float64).
      const rows = readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(0, 5)
        .map((l) => JSON.parse(l) as { input: number[]; logits: number[] });
      const response = await postJson(base, '/invocations', { inputs: rows.map((r) => r.input) });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ predictions: { logits: rows.map((r) => r.logits.map(Math.fround)) } });
      stop.abort();
      expect(await exit).toBe(0);
      expect(lines.join('')).toContain(`pulled ${join(dir, 'registry', 'digits')}@${pkg.manifest.digest} (v3)`);
    } finally {
      if (saved === undefined) delete process.env.MLOPS_STATE_DIR;
      else process.env.MLOPS_STATE_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves a model folder until stopped, with a traffic line per period', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const exit = runCli(
      ['serve', FIXTURE, '--port', '0', '--version', '7'],
      () => undefined,
      (t) => lines.push(t),
      {
        stop: stop.signal,
        serveStatsIntervalMs: 300,
        onListening: listening,
      },
    );
    const base = await url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const metadata = await send(base, 'GET', '/v2/models/digits-mlp-onnx');
    expect(metadata.json.versions).toEqual(['7']);
    for (let i = 0; i < 3; i++) {
      const response = await postJson(base, '/invocations', { inputs: [Array(64).fill(0)] });
      expect(response.status).toBe(200);
    }
    expect((await postJson(base, '/invocations', { nothing: 1 })).status).toBe(400);
    for (let i = 0; i < 20 && !lines.some((l) => / 5 requests, 1 errors, p95 \d+\.\d ms/.test(l)); i++)
      await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    expect(await exit).toBe(0);
    const text = lines.join('');
    expect(text).toMatch(
      /serving digits-mlp-onnx \(version 7\) at http:\/\/127\.0\.0\.1:\d+: inputs input FP32 \[-1, 64\]; outputs logits FP32 \[-1, 10\]/,
    );
    expect(text).toMatch(/last 0\.3 s: 5 requests, 1 errors, p95 \d+\.\d ms/);
    expect(text).toMatch(/stopped\n$/);
    // No line per request.
    expect(text.split('\n').filter((l) => l.includes('/invocations')).length).toBeLessThanOrEqual(1);
  });

  it('exits 2 on a usage mistake and 1 on a missing model folder', async () => {
    const err: string[] = [];
    const stop = new AbortController();
    stop.abort();
    expect(
      await runCli(
        ['serve'],
        () => undefined,
        (t) => err.push(t),
        { stop: stop.signal },
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/mlops serve needs a model folder/);
    expect(
      await runCli(
        ['serve', FIXTURE, '--port', 'http'],
        () => undefined,
        (t) => err.push(t),
        { stop: stop.signal },
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/--port is "http"; expected an integer from 0 to 65535/);
    expect(
      await runCli(
        ['serve', FIXTURE, '--max-batch-rows', '0'],
        () => undefined,
        (t) => err.push(t),
        { stop: stop.signal },
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/--max-batch-rows is "0"; expected an integer from 1 to 65536/);
    const missing: string[] = [];
    expect(
      await runCli(
        ['serve', '/nonexistent/model'],
        () => undefined,
        (t) => missing.push(t),
        { stop: stop.signal },
      ),
    ).toBe(1);
    expect(missing.join('')).toBe('error: /nonexistent/model does not exist: give a model folder (holding model.onnx) or an .onnx file\n');
  });
});
