// Debian's `prometheus` on 127.0.0.1 for the serving tests: one process per test file, its TSDB in a
// temp dir, scraping the given targets (127.0.0.1 only) every second. The config is written as JSON,
// which Prometheus's YAML parser reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram, freePort, logTail } from './local-process.js';

export interface TestPrometheus {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Runs an instant PromQL query; returns the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `promql` (every 250 ms, at most `timeoutMs`) until `accept` is true of its result; returns that result. */
  waitFor(
    promql: string,
    accept: (result: { metric: Record<string, string>; value: [number, string] }[]) => boolean,
    timeoutMs?: number,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

async function waitUntilReady(child: ChildProcess, url: string, logPath: string): Promise<void> {
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `exited with ${signal ?? code}`));
  child.once('error', (error) => (exit = error.message));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`prometheus ${exit}; its log (${logPath}) ends:\n${logTail(logPath)}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus did not become ready at ${url} within ${START_TIMEOUT_MS / 1000} s; its log ends:\n${logTail(logPath)}`);
}

/**
 * Starts Prometheus scraping `targets` (`127.0.0.1:PORT`) every second. Returns undefined (after one
 * loud line) when prometheus is not installed outside CI; throws on CI, where .ci/run installs it.
 */
export async function startPrometheus(targets: string[]): Promise<TestPrometheus | undefined> {
  const binary = findProgram('prometheus');
  if (!binary) {
    const missing = 'prometheus is not installed (Debian package prometheus)';
    if (process.env.CI) throw new Error(`CI must run the Prometheus tests, but ${missing}; .ci/run installs it`);
    console.warn(`\n*** PROMETHEUS TESTS SKIPPED: ${missing}. They run on CI (.ci/run). ***\n`);
    return undefined;
  }
  for (const target of targets) if (!target.startsWith('127.0.0.1:')) throw new Error(`tests scrape 127.0.0.1 only, not ${target}`);
  const dir = mkdtempSync(join(tmpdir(), 'mlops-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'mlops-serve', scrape_interval: '1s', scrape_timeout: '1s', static_configs: [{ targets }] }],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(dir, 'prometheus.log');
  const log = openSync(logPath, 'a');
  const child = spawn(
    binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, url, logPath);
  } catch (error) {
    await stop();
    throw error;
  }
  const query = async (promql: string) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: [] } };
    if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error ?? response.status}`);
    return body.data!.result;
  };
  return {
    url,
    query,
    async waitFor(promql, accept, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Awaited<ReturnType<typeof query>> = [];
      while (Date.now() < deadline) {
        last = await query(promql);
        if (accept(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`PromQL ${promql} did not give the expected result within ${timeoutMs / 1000} s; last: ${JSON.stringify(last)}`);
    },
    stop,
  };
}
