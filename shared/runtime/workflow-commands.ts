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
  process.stdout.write(`${line}::${escapeData(message)}${EOL}`);
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
  process.stdout.write(EOL);
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

/** A line of the log, as it is. */
export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
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
