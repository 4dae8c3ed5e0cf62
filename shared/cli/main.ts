import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { mergeProfiles, parseProfile } from '../data/profile.js';
import { LocalRuntime } from '../runtime/local.js';
import { runStage } from '../stage.js';
import { mainHelp, stageHelp } from './help.js';
import { findStage } from '../stages.js';

/** A mistake in how the command was called: usage text follows, exit code 2. */
class UsageError extends Error {}

interface ParsedArgs {
  values: Record<string, string>;
  help: boolean;
  stateDir?: string;
}

function parseFlags(args: string[], known: Set<string>): ParsedArgs {
  const values: Record<string, string> = {};
  let help = false;
  let stateDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}': inputs are given as --<input> <value>`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const value: string | undefined = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name === 'state-dir') {
      stateDir = value;
      continue;
    }
    if (!known.has(name)) throw new UsageError(`unknown input --${name}; expected one of ${[...known].map((k) => `--${k}`).join(', ')}`);
    // Repeating a flag builds a list input, one entry per line, as in a workflow file.
    values[name] = values[name] === undefined ? value : `${values[name]}\n${value}`;
  }
  return { values, help, stateDir };
}

async function profileCommand(args: string[], out: (text: string) => void): Promise<number> {
  if (args[0] !== 'merge' || args.length < 2) throw new UsageError('usage: mlops profile merge A.json B.json ... > merged.json');
  const files = args.slice(1);
  const profiles = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new InputError(`${file} does not exist or cannot be read`, { file });
      });
      return parseProfile(text, file);
    }),
  );
  out(`${JSON.stringify(mergeProfiles(profiles, files), null, 2)}\n`);
  return 0;
}

/** Runs the `mlops` command line; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      out(`${mainHelp()}\n`);
      return command ? 0 : 2;
    }
    if (command === 'profile') return await profileCommand(rest, out);
    const entry = findStage(command);
    if (!entry) throw new UsageError(`unknown command '${command}'; run mlops --help for the list`);
    const parsed = parseFlags(rest, new Set(Object.keys(entry.spec.inputs)));
    if (parsed.help) {
      out(`${stageHelp(entry.spec)}\n`);
      return 0;
    }
    const runtime = new LocalRuntime({ inputs: parsed.values, stateDir: parsed.stateDir, log: (line) => err(`${line}\n`) });
    const ok = await runStage(entry.spec, await entry.load(), runtime);
    await runtime.recordRun(entry.spec.name);
    for (const [name, value] of Object.entries(runtime.outputs)) out(`${name}=${value}\n`);
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`mlops: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      err(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The CLI entry's main program: the command line of this process. */
export async function run(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}
