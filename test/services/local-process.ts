// What the test services that run a Debian program as a local process share: finding the program,
// a free loopback port for it, and the end of its log for a failure message.
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/** The program's path on PATH (or in /usr/bin, where Debian installs it), or undefined. */
export function findProgram(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A port on 127.0.0.1 nothing listens on now (the caller retries if another process takes it first). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The last lines of a log file, for an error saying why a service did not start. */
export function logTail(logPath: string, lines = 15): string {
  try {
    return readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
