// A step's stdout and stderr as the runner reads them: workflow commands interpreted (error, warning,
// notice and debug annotations, group / endgroup, add-mask, stop-commands), every other line logged,
// and every secret and masked value replaced by *** before anything is printed.
import { neutraliseCommands } from '../runtime/workflow-commands.js';
import { parseCommandLine } from './runner-protocol.js';

export interface StepAnnotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  title?: string;
}

/** The values to hide in everything printed: secrets, and what steps masked with ::add-mask::. */
export class Masks {
  private readonly values = new Set<string>();

  add(value: string): void {
    // The runner masks each line of a multi-line value too.
    for (const part of [value, ...value.split(/\r?\n/)]) if (part.trim().length > 0) this.values.add(part);
  }

  apply(text: string): string {
    let masked = text;
    // Longest first, so a value that holds another is hidden whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) masked = masked.split(value).join('***');
    return masked;
  }
}

export interface StepOutputOptions {
  masks: Masks;
  /** Prints one line for people (already masked and made harmless as a workflow command). */
  print: (line: string) => void;
  /** Lines of ::debug:: shown (RUNNER_DEBUG / ACTIONS_STEP_DEBUG set). */
  debug: boolean;
}

/**
 * Reads a step's output line by line. A group's lines are folded as the runner's log folds them: its title
 * and line count are printed, its annotations too, and every line goes to the step's log (`log`).
 */
export class StepOutput {
  readonly annotations: StepAnnotation[] = [];
  /** Every line of the step's output, masked, for its log file. */
  readonly log: string[] = [];
  private partial = { stdout: '', stderr: '' };
  private group: { title: string; lines: number } | undefined;
  private stopToken: string | undefined;

  constructor(private readonly options: StepOutputOptions) {}

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    const lines = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.line(line.replace(/\r$/, ''), stream);
  }

  /** Prints what is left of an unterminated last line, and the title of a group left open. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.line(this.partial[stream], stream);
      this.partial[stream] = '';
    }
    this.closeGroup();
  }

  private show(text: string, always = false): void {
    for (const line of this.options.masks.apply(text).split('\n')) {
      this.log.push(line);
      if (this.group && !always) this.group.lines++;
      else this.options.print(neutraliseCommands(`    ${this.group ? '  ' : ''}${line}`));
    }
  }

  private closeGroup(): void {
    if (!this.group) return;
    const { title, lines } = this.group;
    this.group = undefined;
    this.options.print(
      neutraliseCommands(`    ▸ ${this.options.masks.apply(title)} (${lines} line${lines === 1 ? '' : 's'} folded; in the step's log)`),
    );
  }

  private line(line: string, _stream: 'stdout' | 'stderr'): void {
    // The runner reads commands on both streams.
    const command = parseCommandLine(line);
    if (this.stopToken !== undefined) {
      if (command?.command === this.stopToken) this.stopToken = undefined;
      else this.show(line);
      return;
    }
    if (!command) return void this.show(line);
    const { masks } = this.options;
    switch (command.command) {
      case 'add-mask':
        masks.add(command.message);
        return;
      case 'error':
      case 'warning':
      case 'notice': {
        const { file, line: at, title } = command.properties;
        const annotation: StepAnnotation = { level: command.command, message: masks.apply(command.message) };
        if (file) annotation.file = file;
        if (at) annotation.line = Number(at);
        if (title) annotation.title = masks.apply(title);
        this.annotations.push(annotation);
        const where = file ? ` (${file}${at ? `:${at}` : ''})` : '';
        return void this.show(`${command.command}${where}: ${title ? `${title}: ` : ''}${command.message}`, true);
      }
      case 'debug':
        if (this.options.debug) this.show(`debug: ${command.message}`);
        return;
      case 'group':
        // Groups do not nest on the runner: a new one ends the last.
        this.closeGroup();
        this.log.push(`▸ ${this.options.masks.apply(command.message)}`);
        this.group = { title: command.message, lines: 0 };
        return;
      case 'endgroup':
        this.closeGroup();
        return;
      case 'stop-commands':
        this.stopToken = command.message;
        return;
      case 'echo':
      case 'save-state':
        return;
      case 'set-output':
      case 'set-env':
      case 'add-path':
        // Turned off on GitHub since 2022-2023 (the files replace them); the runner says so and ignores them.
        return void this.show(
          `warning: the ${command.command} command is disabled; write to $GITHUB_${command.command === 'set-output' ? 'OUTPUT' : command.command === 'set-env' ? 'ENV' : 'PATH'} instead`,
        );
      default:
        // The runner logs a command it does not know as an ordinary line.
        return void this.show(line);
    }
  }
}
