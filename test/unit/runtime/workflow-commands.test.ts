// Our runner protocol against the toolkit's: for the same calls with hostile values, stdout and the
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files hold exactly what @actions/core 3 writes (the random
// heredoc delimiters aside).
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as core from '@actions/core';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ours from '../../../shared/runtime/workflow-commands.js';
import { tempDir } from '../../temp-dirs.js';

const HOSTILE = [
  'plain',
  '',
  'two\nlines',
  'carriage\r\nreturn',
  '::error::injected',
  '100% done, 50%0A',
  'a,b:c,d::e',
  'key=value,line=9',
  'ünïcödé ✓ 𝔘 — 数据',
  '  padded  ',
  '%25 already escaped %3A',
];

const SAVED = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY'].map((name) => [name, process.env[name]] as const);
afterEach(() => {
  for (const [name, value] of SAVED) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** What `write` puts on stdout. */
function stdoutOf(write: () => void): string {
  let text = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += chunk.toString();
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
  }
  return text;
}

/** Each `ghadelimiter_<uuid>` replaced by the same placeholder: the only part that differs between two runs. */
const withoutDelimiters = (text: string): string => text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_UUID');

describe('workflow commands on stdout', () => {
  it.each(HOSTILE)('info, debug, add-mask and the three annotations of %j match @actions/core', (value) => {
    const props = [
      undefined,
      {},
      { title: value, file: value, startLine: 3, startColumn: 7 },
      { title: undefined, file: undefined, startLine: undefined, startColumn: undefined },
      { title: value, file: `data/${value}.csv`, startLine: 0, endLine: 12, startColumn: 1, endColumn: 4 },
    ];
    // info differs on purpose where a line would be read as a command (see the test of neutraliseCommands).
    expect(stdoutOf(() => ours.info(ours.neutraliseCommands(value)))).toBe(stdoutOf(() => core.info(ours.neutraliseCommands(value))));
    expect(stdoutOf(() => ours.debug(value))).toBe(stdoutOf(() => core.debug(value)));
    expect(stdoutOf(() => ours.setSecret(value))).toBe(stdoutOf(() => core.setSecret(value)));
    for (const properties of props) {
      expect(stdoutOf(() => ours.annotate('error', value, properties))).toBe(stdoutOf(() => core.error(value, properties)));
      expect(stdoutOf(() => ours.annotate('warning', value, properties))).toBe(stdoutOf(() => core.warning(value, properties)));
      expect(stdoutOf(() => ours.annotate('notice', value, properties))).toBe(stdoutOf(() => core.notice(value, properties)));
    }
  });

  it('neutralises, in info, a line the runner would read as a command, and leaves every other line as it is', () => {
    expect(stdoutOf(() => ours.info('data/a\n::warning::owned\n  ::error::x\nsee ##[error]y\nplain: a::b'))).toBe(
      'data/a\n\u200b::warning::owned\n  \u200b::error::x\nsee ##\u200b[error]y\nplain: a::b\n',
    );
    expect(stdoutOf(() => ours.info('accuracy 0.9'))).toBe(stdoutOf(() => core.info('accuracy 0.9')));
  });

  it("writes a program's output verbatim between stop-commands and its token, resuming commands for our own annotations", async () => {
    let text = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += chunk.toString();
      return true;
    });
    try {
      await ours.verbatimGroup('Running: x', async () => {
        ours.info('::error::x');
        ours.annotate('warning', 'ours');
        ours.info('::set-output name=a::b');
      });
    } finally {
      spy.mockRestore();
    }
    const [first, second] = [...text.matchAll(/::stop-commands::([0-9a-f]{32})\n/g)].map((m) => m[1]);
    expect(first).not.toBe(second);
    expect(text).toBe(
      `::group::Running: x\n::stop-commands::${first}\n::error::x\n::${first}::\n::warning::ours\n::stop-commands::${second}\n::set-output name=a::b\n::${second}::\n::endgroup::\n`,
    );
  });

  it('escapes what would end or split a command (a check that the comparison above can fail)', () => {
    expect(stdoutOf(() => ours.annotate('error', 'a\nb %', { title: 'x:y,z', file: 'f.csv', startLine: 2 }))).toBe(
      '::error title=x%3Ay%2Cz,file=f.csv,line=2::a%0Ab %25\n',
    );
  });

  it.each(HOSTILE)('a group named %j matches core.group, closed even when its work throws', async (value) => {
    const written = async (group: (name: string, fn: () => Promise<void>) => Promise<void>): Promise<string> => {
      let text = '';
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        text += chunk.toString();
        return true;
      });
      try {
        await group(value, async () => void process.stdout.write('inside\n'));
        await group(value, async () => Promise.reject(new Error('work failed'))).catch(() => undefined);
      } finally {
        spy.mockRestore();
      }
      return text;
    };
    const theirs = await written((name, fn) => core.group(name, fn));
    expect(await written((name, fn) => ours.group(name, fn))).toBe(theirs);
    expect(theirs.split('::endgroup::').length).toBe(3);
  });

  it.each(HOSTILE)('set-output without GITHUB_OUTPUT matches @actions/core for %j', (value) => {
    delete process.env.GITHUB_OUTPUT;
    expect(stdoutOf(() => ours.setOutput('out-name', value))).toBe(stdoutOf(() => core.setOutput('out-name', value)));
  });
});

describe('files of the runner', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('workflow-commands-');
  });

  it('appends the same GITHUB_OUTPUT blocks as @actions/core for every hostile value', () => {
    const written = (set: (name: string, value: string) => void, file: string): string => {
      process.env.GITHUB_OUTPUT = join(dir, file);
      writeFileSync(process.env.GITHUB_OUTPUT, '');
      expect(stdoutOf(() => HOSTILE.forEach((value, i) => set(`output-${i}`, value)))).toBe('');
      return readFileSync(process.env.GITHUB_OUTPUT, 'utf8');
    };
    const theirs = written(core.setOutput, 'core-output');
    expect(withoutDelimiters(written(ours.setOutput, 'our-output'))).toBe(withoutDelimiters(theirs));
    expect(theirs.match(/ghadelimiter_/g)).toHaveLength(2 * HOSTILE.length);
  });

  it('refuses a value holding the delimiter, and a missing output file, with the toolkit words', () => {
    expect(() => ours.keyValueMessage('x', 'a\nghadelimiter_1\nb', 'ghadelimiter_1')).toThrow(
      'Unexpected input: value should not contain the delimiter "ghadelimiter_1"',
    );
    expect(() => ours.keyValueMessage('ghadelimiter_1', 'a', 'ghadelimiter_1')).toThrow(
      'Unexpected input: name should not contain the delimiter "ghadelimiter_1"',
    );
    process.env.GITHUB_OUTPUT = join(dir, 'missing');
    expect(() => ours.setOutput('x', '1')).toThrow(new Error(`Missing file at path: ${join(dir, 'missing')}`));
    expect(() => core.setOutput('x', '1')).toThrow(new Error(`Missing file at path: ${join(dir, 'missing')}`));
  });

  it('appends the same job summary as core.summary.addRaw(markdown, true).write()', async () => {
    const markdown = ['# Report', '| a | b |\n|---|---|\n| 1 | ü |', '::error::not a command here', ''];
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'core-summary');
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, 'before\n');
    for (const text of markdown) await core.summary.addRaw(text, true).write();
    const theirs = readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8');
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'our-summary');
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, 'before\n');
    for (const text of markdown) await ours.appendSummary(text);
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8')).toBe(theirs);
  });

  it('refuses a summary file it cannot write, with the toolkit words', async () => {
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'read-only');
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
    chmodSync(process.env.GITHUB_STEP_SUMMARY, 0o444);
    const expected = `Unable to access summary file: '${process.env.GITHUB_STEP_SUMMARY}'. Check if the file has correct read/write permissions.`;
    // root may write anyway: then both write, and the messages are not compared.
    const theirs = await core.summary
      .addRaw('x', true)
      .write()
      .then(
        () => 'written',
        (error: Error) => error.message,
      );
    core.summary.emptyBuffer();
    const mine = await ours.appendSummary('x').then(
      () => 'written',
      (error: Error) => error.message,
    );
    expect(mine).toBe(theirs);
    if (theirs !== 'written') expect(mine).toBe(expected);
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(ours.appendSummary('x')).rejects.toThrow('Unable to find environment variable for $GITHUB_STEP_SUMMARY.');
  });
});

describe('inputs', () => {
  it('reads INPUT_<NAME> as @actions/core does: spaces as _, upper-cased, trimmed, empty when unset', () => {
    const values: Record<string, string> = {
      INPUT_DATA: ' a.csv \n',
      'INPUT_DRIFT-THRESHOLD': '{psi: 0.2}\n',
      INPUT_TWO_WORDS: '\tx y\t',
      INPUT_MULTI: 'line 1\nline 2\n',
    };
    Object.assign(process.env, values);
    try {
      for (const name of ['data', 'drift-threshold', 'two words', 'Two Words', 'multi', 'absent', 'DATA'])
        expect({ name, value: ours.getInput(name) }).toEqual({ name, value: core.getInput(name) });
      expect(ours.getInput('two words')).toBe('x y');
    } finally {
      for (const name of Object.keys(values)) delete process.env[name];
    }
  });
});
