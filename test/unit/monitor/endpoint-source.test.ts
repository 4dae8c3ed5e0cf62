import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError } from '../../../shared/errors.js';
import { EndpointSource } from '../../../shared/monitor/metrics-source.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A /metrics endpoint answering each scrape with the next exposition of `pages`. */
async function metricsEndpoint(pages: string[]): Promise<string> {
  let next = 0;
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(pages[Math.min(next++, pages.length - 1)]);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function page(version: string, ok: number, failed: number, fast: number): string {
  const labels = `model="penguins",version="${version}"`;
  return [
    `mlops_requests_total{${labels},endpoint="invocations",code="200"} ${ok}`,
    `mlops_requests_total{${labels},endpoint="invocations",code="400"} ${failed}`,
    `mlops_requests_total{${labels},endpoint="metrics",code="200"} 99`,
    `mlops_request_duration_seconds_bucket{le="0.01",${labels},endpoint="invocations"} ${fast}`,
    `mlops_request_duration_seconds_bucket{le="+Inf",${labels},endpoint="invocations"} ${ok + failed}`,
    `mlops_feature_drift{${labels},feature="body_mass_g",method="ks"} 0.4`,
    `mlops_feature_drifted{${labels},feature="body_mass_g"} 1`,
    `mlops_live_profile_rows{${labels}} 120`,
  ].join('\n');
}

describe('EndpointSource: counts by difference between scrapes', () => {
  const v2 = { model: 'penguins', version: 'v2' };

  it('counts inference requests since the previous scrape of the same version, and a restart from zero', async () => {
    const url = await metricsEndpoint([page('v2', 100, 10, 50), page('v2', 180, 30, 120), page('v2', 20, 5, 10)]);
    const source = new EndpointSource(url, 2_000);
    await source.start([v2]);
    const first = await source.read([v2], []);
    expect(first.traffic.get('v2')).toMatchObject({
      requests: 100,
      errors: 20,
      buckets: [
        { le: 0.01, count: 70 },
        { le: Infinity, count: 100 },
      ],
    });
    expect(first.drift.get('v2')).toEqual({ columns: [{ column: 'body_mass_g', method: 'ks', score: 0.4, drifted: true }], liveRows: 120 });
    // The counters went down: the process restarted, and counts start again from zero.
    const second = await source.read([v2], []);
    expect(second.traffic.get('v2')).toMatchObject({ requests: 25, errors: 5 });
  });

  it('behind a canary proxy, scrapes again until both versions answered, and counts each since its own last scrape', async () => {
    const v1 = { model: 'penguins', version: 'v1' };
    // What a proxy sending a third of connections to v2 gives: v1, v1, v2, then the same with higher counts.
    const url = await metricsEndpoint([
      page('v1', 10, 0, 10),
      page('v1', 10, 0, 10),
      page('v2', 5, 0, 5),
      page('v1', 30, 1, 30),
      page('v1', 31, 1, 31),
      page('v2', 9, 2, 9),
    ]);
    const source = new EndpointSource(url, 2_000);
    await source.start([v1, v2]);
    const readings = await source.read([v1, v2], []);
    expect(readings.traffic.get('v1')).toMatchObject({ requests: 21, errors: 1 });
    expect(readings.traffic.get('v2')).toMatchObject({ requests: 6, errors: 2 });
  });

  it('has no counts for a version no scrape of the measurement reached (that measurement is inconclusive)', async () => {
    const url = await metricsEndpoint([page('v1', 10, 0, 10), page('v1', 20, 0, 20)]);
    const source = new EndpointSource(url, 2_000);
    await source.start([v2, { model: 'penguins', version: 'v1' }]);
    const readings = await source.read([v2, { model: 'penguins', version: 'v1' }], []);
    expect(readings.traffic.get('v2')).toBeUndefined();
    expect(readings.traffic.get('v1')).toMatchObject({ requests: 10 });
  });

  it('scrapes again until every version compared answered: behind a canary proxy, each from its own scrape', async () => {
    const v1 = { model: 'penguins', version: 'v1' };
    const pages = [page('v1', 10, 0, 10), page('v2', 10, 0, 10), page('v1', 15, 0, 15), page('v1', 18, 0, 18), page('v2', 40, 0, 40)];
    const url = await metricsEndpoint(pages);
    const source = new EndpointSource(url, 2_000);
    await source.start([v1, v2]);
    const readings = await source.read([v1, v2], []);
    expect(readings.traffic.get('v1')).toMatchObject({ requests: 5, errors: 0 });
    expect(readings.traffic.get('v2')).toMatchObject({ requests: 30, errors: 0 });
  });

  it('is a ServiceError (a measurement error, not a failure) when the endpoint does not answer', async () => {
    const source = new EndpointSource('http://127.0.0.1:9', 1_000);
    await expect(source.read([v2], [])).rejects.toBeInstanceOf(ServiceError);
  });
});
