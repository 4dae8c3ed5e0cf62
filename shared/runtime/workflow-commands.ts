// The runner's protocol for an action, written as @actions/core 3 writes it (a unit test compares the
// two byte for byte): inputs from INPUT_<NAME>, outputs appended to the GITHUB_OUTPUT file, the job
// summary appended to GITHUB_STEP_SUMMARY, and workflow commands on stdout (`::error file=…::message`).
// Not @actions/core itself: its index imports its OIDC client, which loads undici and Node's http and
// tls modules, a third of a stage's start-up, for a token no stage asks for (actions/toolkit#1560).
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { access, appendFile, constants } from 'node:fs/promises';
import { EOL } from 'node:os';

/** Where an annotation points, as @actions/core's AnnotationProperties names it. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

/** A command's properties, in the order @actions/core writes them; empty ones (undefined, '', 0) are left out. */
type CommandProperties = Record<string, string | number | undefined>;

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string | number): string {
  return escapeData(String(value)).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Writes `::command key=value,…::message` on stdout, escaped so that the runner reads it back as given. */
export function issueCommand(command: string, properties: CommandProperties, message: string): void {
  let line = `::${command}`;
  const keys = Object.keys(properties);
  if (keys.length > 0) {
    // As @actions/core: the space comes with any property key, even when every value is empty.
    line += ` ${keys.flatMap((key) => (properties[key] ? [`${key}=${escapeProperty(properties[key])}`] : [])).join(',')}`;
  }
  const text = `${line}::${escapeData(message)}${EOL}`;
  if (stopToken === undefined) return void writeOut(text);
  // Commands are stopped around a program's output: resume them for this one, then stop again with a new token.
  const token = newStopToken();
  writeOut(`::${stopToken}::${EOL}${text}::stop-commands::${token}${EOL}`);
  stopToken = token;
}

/** The token of the `::stop-commands::` in force (the runner interprets no command until `::<token>::`), or undefined. */
let stopToken: string | undefined;

function newStopToken(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * A line of text from outside (a file name, a column, a label, a program's output) made unreadable as a
 * workflow command: the runner takes a line as a command when, leading white space trimmed, it starts
 * with `::` (or holds `##[`, the older form). A zero-width space (not white space to the runner) goes
 * before such a `::`, and between `##` and `[`; every other line is written as it is.
 */
export function neutraliseCommands(text: string): string {
  if (!text.includes('::') && !text.includes('##[')) return text;
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)::/, '$1\u200b::').replace(/##\[/g, '##\u200b['))
    .join('\n');
}

let stdoutBroken = false;
let stdoutWaiting: Promise<void> | undefined;

function stdoutFailed(error: NodeJS.ErrnoException): void {
  if (stdoutBroken) return;
  stdoutBroken = true;
  stdoutWaiting = undefined;
  try {
    process.stderr.write(
      `mlops-actions: stdout failed (${error.code ?? error.message}): the log is no longer written to it; the step goes on, and train writes all of the command's output to train.log.${EOL}`,
    );
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

/**
 * Writes to stdout, surviving a reader that has gone (EPIPE) or a write the system refuses (EINVAL):
 * from then on the log is dropped (warned once on stderr) and the step goes on. When the pipe is full
 * the text is queued by Node and `drained()` waits for it.
 */
function writeOut(text: string): void {
  if (stdoutBroken) return;
  if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', stdoutFailed);
  try {
    if (!process.stdout.write(text) && !stdoutWaiting) {
      stdoutWaiting = new Promise<void>((done) => {
        const finish = (): void => {
          process.stdout.off('drain', finish);
          process.stdout.off('error', finish);
          process.stdout.off('close', finish);
          stdoutWaiting = undefined;
          done();
        };
        process.stdout.on('drain', finish);
        process.stdout.on('error', finish);
        process.stdout.on('close', finish);
      });
    }
  } catch (error) {
    stdoutFailed(error as NodeJS.ErrnoException);
  }
}

/** Resolves when what was written to stdout has been taken by the reader (at once when nothing is queued, or stdout failed). */
export function drained(): Promise<void> {
  return stdoutWaiting ?? Promise.resolve();
}

/** The raw value of input `name` (INPUT_<NAME>, spaces as `_`), trimmed; '' when it is not set. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/**
 * `name<<delimiter`, the value's lines, `delimiter`: how a file command carries a value that may hold
 * newlines. Throws when the name or the value contains the delimiter, which would end the value early.
 */
export function keyValueMessage(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}

/** Sets step output `name`: appended to the GITHUB_OUTPUT file, or a `::set-output` command without one. Throws when the file is missing. */
export function setOutput(name: string, value: string): void {
  const path = process.env.GITHUB_OUTPUT || '';
  if (path) {
    if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
    appendFileSync(path, `${keyValueMessage(name, value)}${EOL}`, { encoding: 'utf8' });
    return;
  }
  writeOut(EOL);
  issueCommand('set-output', { name }, value);
}

/** Appends Markdown (and a newline) to the job summary file. Throws when GITHUB_STEP_SUMMARY is unset or the file is not readable and writable. */
export async function appendSummary(markdown: string): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path)
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  try {
    await access(path, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`);
  }
  await appendFile(path, `${markdown}${EOL}`, { encoding: 'utf8' });
}

/**
 * A line of the log, as it is, except that a line the runner would read as a workflow command is
 * neutralised (see neutraliseCommands): what we log comes from outside, and commands go through
 * issueCommand. Inside `verbatimGroup`, where the runner interprets no command, it is written as it is.
 */
export function info(message: string): void {
  writeOut(`${stopToken === undefined ? neutraliseCommands(message) : message}${EOL}`);
}

/** A line of the log shown only when the run has debug logging on. */
export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

/** The value hidden (`***`) in every later line of the log. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

/** An annotation (`error`, `warning` or `notice`) located by `properties`. */
export function annotate(kind: 'error' | 'warning' | 'notice', message: string, properties: AnnotationProperties = {}): void {
  const given = Object.keys(properties).length > 0;
  issueCommand(
    kind,
    given
      ? {
          title: properties.title,
          file: properties.file,
          line: properties.startLine,
          endLine: properties.endLine,
          col: properties.startColumn,
          endColumn: properties.endColumn,
        }
      : {},
    message,
  );
}

/** Runs `fn` with its log lines in a collapsed group (`::group::` … `::endgroup::`), closed even when it throws. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', {}, name);
  try {
    return await fn();
  } finally {
    issueCommand('endgroup', {}, '');
  }
}

/**
 * A group whose lines are a program's output, shown exactly as the program wrote them: they sit between
 * `::stop-commands::<random token>` and `::<token>::`, so the runner interprets no workflow command
 * the program prints (`::error::`, `::set-output::`, `::add-mask::`…). Our own annotations inside are
 * still issued (commands resumed for them, then stopped again with a new token).
 */
export async function verbatimGroup<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', {}, name);
  const outer = stopToken;
  stopToken = newStopToken();
  writeOut(`::stop-commands::${stopToken}${EOL}`);
  try {
    return await fn();
  } finally {
    writeOut(`::${stopToken}::${EOL}`);
    stopToken = outer;
    issueCommand('endgroup', {}, '');
  }
}
