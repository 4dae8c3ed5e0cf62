// The runner's side of an action's protocol, for unit tests of GitHubRuntime and runStage: inputs set as
// INPUT_<NAME> variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files in a temporary folder, and stdout
// captured and read back as the runner reads it (workflow commands unescaped, other lines as log).
import { jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dirs.js';

/** A workflow command as the runner reads it: `::error file=a.csv,line=3::message`. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const FILE_VARIABLES = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY'] as const;

/** %25, %0D, %0A (and in properties %3A, %2C) back to the characters they stand for. */
function unescape(text: string): string {
  return text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

export class RunnerDouble {
  private written = '';
  private readonly dir = tempDir('runner-double-');
  private readonly saved = new Map<string, string | undefined>();
  private spy?: { mockRestore(): void };

  /** Fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, no INPUT_* variables, stdout captured. */
  start(): void {
    this.written = '';
    for (const name of [...FILE_VARIABLES, ...Object.keys(process.env).filter((n) => n.startsWith('INPUT_'))])
      this.saved.set(name, process.env[name]);
    for (const name of Object.keys(process.env).filter((n) => n.startsWith('INPUT_'))) delete process.env[name];
    for (const name of FILE_VARIABLES) {
      process.env[name] = join(this.dir, name.toLowerCase());
      writeFileSync(process.env[name]!, '');
    }
    this.spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      this.written += chunk.toString();
      return true;
    });
  }

  /** Puts back stdout and the variables start() changed; removes the INPUT_* variables given since. */
  stop(): void {
    this.spy?.mockRestore();
    for (const name of Object.keys(process.env).filter((n) => n.startsWith('INPUT_'))) delete process.env[name];
    for (const [name, value] of this.saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.saved.clear();
  }

  /** Sets the inputs the runner would give (INPUT_<NAME>). */
  given(inputs: Record<string, string>): void {
    for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }

  /** Everything written to stdout, as written. */
  get stdout(): string {
    return this.written;
  }

  /** The workflow commands written to stdout, unescaped; only those named `command` when given. */
  commands(command?: string): WorkflowCommand[] {
    return this.written
      .split('\n')
      .flatMap((line) => {
        const match = /^::([\w-]+)(?: ([^:]*))?::(.*)$/.exec(line);
        if (!match) return [];
        const properties = Object.fromEntries(
          (match[2] ?? '')
            .split(',')
            .filter(Boolean)
            .map((pair) => [pair.slice(0, pair.indexOf('=')), unescape(pair.slice(pair.indexOf('=') + 1))]),
        );
        return [{ command: match[1]!, properties, message: unescape(match[3]!) }];
      })
      .filter((c) => command === undefined || c.command === command);
  }

  /** The messages of the commands named `command`. */
  messages(command: string): string[] {
    return this.commands(command).map((c) => c.message);
  }

  /** The lines of stdout that are not workflow commands: the plain log. */
  log(): string[] {
    return this.written.split('\n').filter((line) => line !== '' && !line.startsWith('::'));
  }

  /** The outputs in GITHUB_OUTPUT, in the order they were set, read as the runner reads `name<<delimiter` blocks. */
  outputs(): [string, string][] {
    const lines = readFileSync(process.env.GITHUB_OUTPUT!, 'utf8').split('\n');
    const outputs: [string, string][] = [];
    for (let i = 0; i < lines.length; i++) {
      const header = /^([^<]+)<<(.+)$/.exec(lines[i]!);
      if (!header) continue;
      const end = lines.indexOf(header[2]!, i + 1);
      outputs.push([header[1]!, lines.slice(i + 1, end).join('\n')]);
      i = end;
    }
    return outputs;
  }

  /** What was appended to the job summary. */
  summary(): string {
    return readFileSync(process.env.GITHUB_STEP_SUMMARY!, 'utf8');
  }
}
