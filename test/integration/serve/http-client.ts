// A raw HTTP client for the serving tests: exact control of headers, chunking and pauses (fetch hides them).
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Sends one request to 127.0.0.1 and resolves with the response; `body` parts are written `pauseMs` apart. */
export function send(
  url: string,
  method: string,
  path: string,
  body?: string | Buffer | (string | Buffer)[],
  headers: Record<string, string | number> = {},
  pauseMs = 0,
): Promise<RawResponse> {
  const target = new URL(path, url);
  if (target.hostname !== '127.0.0.1') throw new Error(`tests talk to 127.0.0.1 only, not ${target.hostname}`);
  const parts = body === undefined ? [] : Array.isArray(body) ? body : [body];
  const chunked = Array.isArray(body);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        headers: {
          ...(body !== undefined && !chunked ? { 'content-length': Buffer.byteLength(parts[0]!) } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    void (async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0 && pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
        if (req.destroyed) return;
        req.write(part);
      }
      req.end();
    })();
  });
}

export function postJson(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(url, 'POST', path, JSON.stringify(body), headers);
}
