// What the docker and swarm target tests share: model versions made from the digits fixture, free ports
// on 127.0.0.1, readiness polling, and a bounded request load through the stable address.
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { DeployableModel } from '../../../shared/deploy/deploy-target.js';
import { tempDir } from '../../temp-dirs.js';

export const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');
const ROW = (JSON.parse(readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8').split('\n')[0]!) as { input: number[] }).input;
export const INFER_BODY = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: ROW }] });

/** A model folder: the fixture's model files, plus `extra` files (a different digest), or a broken model.onnx. */
export function modelVersion(version: string, extra: Record<string, string> = {}, broken = false): DeployableModel {
  const dir = tempDir(`deploy-model-${version}-`);
  for (const file of ['model.onnx', 'model.onnx.data']) cpSync(join(FIXTURE, file), join(dir, file));
  if (broken) writeFileSync(join(dir, 'model.onnx'), 'not an onnx model');
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) hash.update(`${name}\0`).update(readFileSync(join(dir, name)));
  const digest = `sha256:${hash.digest('hex')}`;
  return { reference: `127.0.0.1:5000/digits@${digest}`, name: 'digits', version, digest, modelDir: dir };
}

/** A port `p` with p..p+span-1 all free on 127.0.0.1 (checked by binding them). */
export async function freePortRange(span: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    let ok = true;
    for (let i = 0; i < span && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
  throw new Error(`no ${span} free consecutive ports found on 127.0.0.1`);
}

/** Polls /v2/health/ready until 200; throws after `timeoutMs`. */
export async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${url}/v2/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One inference through `url`: the model_version that answered, or the failure. */
export async function infer(url: string): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  try {
    const res = await fetch(`${url}/v2/models/digits/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: INFER_BODY,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, error: `${res.status} ${text.slice(0, 200)}` };
    return { ok: true, version: (JSON.parse(text) as { model_version: string }).model_version };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export interface LoadResult {
  requests: number;
  failures: string[];
  /** Answers per model version. */
  versions: Record<string, number>;
  /** The version of each answer, in the order answers came. */
  sequence: string[];
}

/** `clients` loops of inferences through `url` until `stop()`, bounded by `maxSeconds` and `maxRequests`. */
export function startLoad(url: string, clients: number, maxSeconds: number, maxRequests: number): { stop: () => Promise<LoadResult> } {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load goes to 127.0.0.1 only, not ${url}`);
  const result: LoadResult = { requests: 0, failures: [], versions: {}, sequence: [] };
  const deadline = Date.now() + maxSeconds * 1000;
  let stopped = false;
  const loops = Array.from({ length: clients }, async () => {
    while (!stopped && Date.now() < deadline && result.requests < maxRequests) {
      result.requests++;
      const answer = await infer(url);
      if (answer.ok) {
        result.versions[answer.version] = (result.versions[answer.version] ?? 0) + 1;
        result.sequence.push(answer.version);
      } else result.failures.push(answer.error);
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return result;
    },
  };
}
