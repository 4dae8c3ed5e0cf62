import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { type FingerprintParts, hashKeyFiles, listKeyFiles, trainFingerprint } from '../../../shared/train/fingerprint.js';
import { tempDir } from '../../temp-dirs.js';

function project(): string {
  const dir = tempDir('fingerprint-');
  const files: Record<string, string> = {
    'train.py': 'print("train")\n',
    'params.yaml': 'epochs: 3\n',
    'src/model.py': 'class Model: pass\n',
    'model/model.onnx': 'weights',
    'metrics.json': '{"accuracy": 1}',
    '.mlops/cache/x': 'state',
    'node_modules/pkg/index.js': 'module',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const base: FingerprintParts = {
  dataFingerprint: 'sha256:aaaa',
  files: [
    { path: 'train.py', sha256: '11' },
    { path: 'params.yaml', sha256: '22' },
  ],
  params: { epochs: 3, lr: 0.1 },
  command: 'python train.py',
  image: undefined,
};

describe('trainFingerprint', () => {
  it('is stable: the same parts, in any order, give the same sha256', () => {
    const again = trainFingerprint({ ...base, files: [...base.files].reverse(), params: { lr: 0.1, epochs: 3 } });
    expect(trainFingerprint(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again).toBe(trainFingerprint(base));
  });

  it.each([
    ['the data fingerprint', { dataFingerprint: 'sha256:bbbb' }],
    ['no data fingerprint', { dataFingerprint: undefined }],
    ['a file content', { files: [{ path: 'train.py', sha256: '12' }, base.files[1]!] }],
    ['a file name', { files: [{ path: 'train2.py', sha256: '11' }, base.files[1]!] }],
    ['one file fewer', { files: [base.files[0]!] }],
    ['a param value', { params: { epochs: 4, lr: 0.1 } }],
    ['a param type', { params: { epochs: '3', lr: 0.1 } }],
    ['the command', { command: 'python train.py --fast' }],
    ['the image', { image: 'python:3.12' }],
  ])('changes with %s', (_, change) => {
    expect(trainFingerprint({ ...base, ...change } as FingerprintParts)).not.toBe(trainFingerprint(base));
  });
});

describe('listKeyFiles', () => {
  it('outside git: every file except the model, the metrics file, .mlops and node_modules, sorted', async () => {
    const dir = project();
    symlinkSync(join(dir, 'train.py'), join(dir, 'link.py'));
    const { files, source } = await listKeyFiles(dir, undefined, ['model', 'metrics.json']);
    expect(source).toBe('walk');
    expect(files).toEqual(['link.py', 'params.yaml', 'src/model.py', 'train.py']);
  });

  it('in a git repository: tracked and untracked-not-ignored files, without outputs, .github/ and Markdown', async () => {
    const dir = project();
    for (const [path, text] of Object.entries({
      'README.md': '# notes',
      'docs/NOTES.markdown': 'notes',
      '.github/workflows/ci.yml': 'on: push',
      '.gitignore': 'ignored.log\n',
      'ignored.log': 'noise',
      'features.py': 'def f(): pass\n',
    })) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', 'train.py', 'src/model.py', 'model/model.onnx', 'README.md', '.github', '.gitignore'], { cwd: dir });
    const listed = await listKeyFiles(dir, undefined, ['model/', 'metrics.json']);
    expect(listed.source).toBe('git');
    expect(listed.files).toEqual(['.gitignore', 'features.py', 'params.yaml', 'src/model.py', 'train.py']);
    expect(listed.untracked).toEqual(['features.py', 'params.yaml']);
    // From a subfolder: the paths are relative to it.
    expect((await listKeyFiles(join(dir, 'src'), undefined, [])).files).toEqual(['model.py']);
  });

  it('outside git: without .github/ and Markdown either', async () => {
    const dir = project();
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github', 'ci.yml'), 'on: push');
    writeFileSync(join(dir, 'README.md'), '# notes');
    const { files } = await listKeyFiles(dir, undefined, ['model', 'metrics.json']);
    expect(files).toEqual(['params.yaml', 'src/model.py', 'train.py']);
  });

  it('with patterns: the matched files, folders expanded, exclusions kept', async () => {
    const dir = project();
    const { files, source } = await listKeyFiles(dir, ['*.py', 'src', 'params.yaml', 'model/*'], ['model']);
    expect(source).toBe('patterns');
    expect(files).toEqual(['params.yaml', 'src/model.py', 'train.py']);
  });

  it('rejects a pattern that matches nothing, naming it', async () => {
    const error = await listKeyFiles(project(), ['*.R'], []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^Input 'cache-key-files': \*\.R matches no file in /);
  });

  it('hashes the files it lists', async () => {
    const dir = project();
    const hashed = await hashKeyFiles(dir, ['train.py']);
    expect(hashed).toEqual([{ path: 'train.py', sha256: createHash('sha256').update('print("train")\n').digest('hex') }]);
  });
});
