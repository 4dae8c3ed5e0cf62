// A loopback HTTP server whose answers a test scripts request by request: registry faults (429, 5xx,
// stalls), redirects to a second host, odd Location and Link headers.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpDouble {
  port: number;
  /** `127.0.0.1:PORT` */
  host: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Starts the double on 127.0.0.1; `handle` answers each request once its body has arrived (or never, to stall). */
export async function startHttpDouble(handle: (request: RecordedRequest, res: ServerResponse) => void): Promise<HttpDouble> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      handle(request, res);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
