// The process target's stable address: a loopback TCP proxy (node:net) that sends each new connection
// to one of the serving processes, by weight. Switching is one assignment: connections already open
// stay with the backend they were given and finish there; the next connection goes by the new routes.
// It runs as its own detached process (`mlops deploy proxy`), steered through a small HTTP control
// endpoint on 127.0.0.1 that needs a bearer token (the state file holds it, readable by its owner only).
import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { writeFileAtomic } from '../atomic-write.js';

export interface ProxyBackend {
  /** The serving process's id (its pid, as text), for status. */
  id: string;
  port: number;
  /** Relative weight (per cent by convention); 0 takes no new connections. */
  weight: number;
}

export interface ProxyStatus {
  backends: (ProxyBackend & { active: number; total: number })[];
  /** Connections that found no backend to go to (no routes, or every backend refused). */
  refused: number;
}

/** What the proxy writes once it listens: where it is and how to steer it. */
export interface ProxyInfo {
  pid: number;
  host: string;
  port: number;
  controlPort: number;
}

/**
 * Smooth weighted round robin (nginx's): over any run of connections each backend gets its share within
 * one connection, deterministically, so a 20 % canary gets every fifth connection, not 20 % on average.
 */
export class WeightedChooser {
  private current = new Map<string, number>();

  constructor(private backends: ProxyBackend[]) {}

  /** The backends in the order to try for the next connection: the chosen one first. */
  next(): ProxyBackend[] {
    const live = this.backends.filter((b) => b.weight > 0);
    if (live.length === 0) return [];
    const total = live.reduce((sum, b) => sum + b.weight, 0);
    let best: ProxyBackend | undefined;
    for (const backend of live) {
      const value = (this.current.get(backend.id) ?? 0) + backend.weight;
      this.current.set(backend.id, value);
      if (!best || value > this.current.get(best.id)!) best = backend;
    }
    this.current.set(best!.id, this.current.get(best!.id)! - total);
    return [best!, ...live.filter((b) => b !== best)];
  }
}

/** Checks a routes body from the control endpoint; returns why it is wrong, or undefined. */
export function routesProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || !Array.isArray((value as { backends?: unknown }).backends))
    return 'expected {"backends": [{"id", "port", "weight"}]}';
  for (const b of (value as { backends: unknown[] }).backends) {
    const backend = b as Partial<ProxyBackend>;
    if (typeof backend.id !== 'string' || !Number.isInteger(backend.port) || backend.port! < 1 || backend.port! > 65535)
      return `bad backend ${JSON.stringify(b)}`;
    if (typeof backend.weight !== 'number' || !(backend.weight >= 0) || backend.weight > 100) return `bad weight in ${JSON.stringify(b)}`;
  }
  return undefined;
}

export interface TrafficProxyOptions {
  host: string;
  port: number;
  /** The bearer token the control endpoint wants. */
  token: string;
  /** Where to write ProxyInfo once listening. */
  infoFile: string;
  signal: AbortSignal;
  log: (line: string) => void;
  /** How long open connections may take to finish after a stop (default 30 s). */
  drainMs?: number;
}

/** Runs the proxy until `signal` aborts: stops listening, lets open connections finish (bounded), resolves. */
export async function runTrafficProxy(options: TrafficProxyOptions): Promise<void> {
  let backends: ProxyBackend[] = [];
  let chooser = new WeightedChooser([]);
  const counts = new Map<string, { active: number; total: number }>();
  let refused = 0;
  const open = new Set<Socket>();
  const count = (id: string): { active: number; total: number } => {
    let entry = counts.get(id);
    if (!entry) counts.set(id, (entry = { active: 0, total: 0 }));
    return entry;
  };

  const connect = (client: Socket, candidates: ProxyBackend[]): void => {
    const backend = candidates[0];
    if (!backend) {
      refused++;
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: backend.port });
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      const entry = count(backend.id);
      entry.active++;
      entry.total++;
      upstream.once('close', () => entry.active--);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      // Refused before any byte went through: the next backend may take it (a stopped canary, a race with a switch).
      if (!connected) connect(client, candidates.slice(1));
      else client.destroy();
    });
    client.on('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => {
      if (connected) client.end();
    });
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => undefined);
    connect(client, chooser.next());
  });

  const status = (): ProxyStatus => ({
    backends: backends.map((b) => ({ ...b, ...(counts.get(b.id) ?? { active: 0, total: 0 }) })),
    refused,
  });
  const allCounts = (): Record<string, { active: number; total: number }> => Object.fromEntries(counts);

  const expected = Buffer.from(`Bearer ${options.token}`);
  const control = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (code: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(401, { error: 'bad token' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/routes') return reply(200, { ...status(), connections: allCounts() });
      if (req.method === 'PUT' && req.url === '/routes') {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return reply(400, { error: 'not JSON' });
        }
        const problem = routesProblem(body);
        if (problem) return reply(400, { error: problem });
        backends = (body as { backends: ProxyBackend[] }).backends.map(({ id, port, weight }) => ({ id, port, weight }));
        chooser = new WeightedChooser(backends);
        options.log(`routes: ${backends.map((b) => `${b.id}@${b.port} ${b.weight}`).join(', ') || 'none'}`);
        return reply(200, { ...status(), connections: allCounts() });
      }
      reply(404, { error: 'GET or PUT /routes' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(0, '127.0.0.1', () => resolve());
  });
  const info: ProxyInfo = {
    pid: process.pid,
    host: options.host,
    port: (server.address() as AddressInfo).port,
    controlPort: (control.address() as AddressInfo).port,
  };
  await writeFileAtomic(options.infoFile, `${JSON.stringify(info)}\n`);
  options.log(`proxy listening on ${options.host}:${info.port}, control on 127.0.0.1:${info.controlPort}`);

  await new Promise<void>((done) => {
    if (options.signal.aborted) done();
    else options.signal.addEventListener('abort', () => done(), { once: true });
  });
  options.log('stopping: no new connections; open ones finish');
  server.close();
  control.close();
  control.closeAllConnections();
  const deadline = Date.now() + (options.drainMs ?? 30_000);
  while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const socket of open) socket.destroy();
  options.log('stopped');
}
