// Every workflow and action file we ship passes GitHub's own validation (@actions/languageservice, what
// the GitHub Actions extension for VS Code runs): schema, expressions and their contexts, and the inputs
// of each step that uses one of our actions (its action.yml given as the action's metadata). Found on
// disk, so a workflow added later is checked without a change here.
import { describe, expect, it } from '@jest/globals';
import { validate, type ActionsMetadataProvider } from '@actions/languageservice';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..', '..');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === '.mlops') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** A YAML file that is a workflow: a mapping with `on` and `jobs`. */
function isWorkflow(file: string): boolean {
  try {
    const document = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    return typeof document === 'object' && document !== null && 'jobs' in document && 'on' in document;
  } catch {
    // Not YAML at all: the validator says why.
    return file.includes('/.github/workflows/');
  }
}

const workflows = [
  ...filesUnder(join(root, '.github', 'workflows')),
  ...filesUnder(join(root, 'workflows-examples')).filter(isWorkflow),
  ...filesUnder(join(root, 'test', 'fixtures', 'workflows')).filter(isWorkflow),
].map((file) => relative(root, file));
const actions = [join(root, 'action.yml'), ...readdirSync(join(root, 'actions')).map((name) => join(root, 'actions', name, 'action.yml'))]
  .filter(existsSync)
  .map((file) => relative(root, file));

/** Our actions' metadata from their action.yml, for `<owner>/mlops-actions[/actions/<stage>]@ref`. */
const metadata: ActionsMetadataProvider = {
  fetchActionMetadata: async (reference) => {
    if (reference.name !== 'mlops-actions') return undefined;
    const file = join(root, reference.path ?? '', 'action.yml');
    if (!existsSync(file)) return undefined;
    const action = parse(readFileSync(file, 'utf8')) as { name: string; description: string; inputs?: object; outputs?: object };
    return { name: action.name, description: action.description, inputs: action.inputs as never, outputs: action.outputs as never };
  },
};

/** GitHub's validation of `text` as the workflow (or action) at `path`: the errors, as `line: message`. */
async function errorsOf(path: string, text: string): Promise<string[]> {
  // The document type comes from the path: a workflow lives in .github/workflows/, an action is action.yml.
  const uri =
    path.endsWith('action.yml') || path.includes('.github/workflows/')
      ? `file:///repo/${path}`
      : `file:///repo/.github/workflows/${path.split('/').pop()}`;
  const fileProvider = {
    getFileContent: async (reference: { path: string; repository?: string }) => {
      // `<owner>/mlops-actions/.github/workflows/x.yml@ref` is ours: read from this checkout; a local `./…` from the project's folder.
      const base = path.includes('.github/workflows/') ? path.slice(0, path.indexOf('.github/workflows/')) : '';
      if (reference.repository !== undefined && reference.repository !== 'mlops-actions')
        throw new Error(`${reference.repository} is not ours`);
      const called = join(root, reference.repository === undefined ? base : '', reference.path);
      return { name: reference.path, content: readFileSync(called, 'utf8') };
    },
  };
  const diagnostics = await validate(TextDocument.create(uri, 'yaml', 1, text), { actionsMetadataProvider: metadata, fileProvider });
  return (
    diagnostics
      // No severity is an error too (editors show it as one).
      .filter((d) => d.severity === undefined || d.severity === 1)
      // Other owners' actions cannot be fetched here (no network): their metadata is GitHub's to check when the workflow runs.
      .filter((d) => !/^Unable to resolve action `(?![^`]*\/mlops-actions[/@])/.test(String(d.message)))
      .map((d) => `${d.range.start.line + 1}: ${d.message}`)
  );
}

describe('workflows and actions we ship, checked by @actions/languageservice', () => {
  it('finds them: the fixtures, and every action.yml', () => {
    expect(workflows).toContain('test/fixtures/workflows/penguins-local.yml');
    expect(actions.length).toBeGreaterThanOrEqual(5);
  });

  it.each([...workflows, ...actions])('%s has no error', async (path) => {
    expect(await errorsOf(path, readFileSync(join(root, path), 'utf8'))).toEqual([]);
  });

  it('catches what GitHub would refuse: an unknown key, an unknown context, an input our action does not have', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  train:',
      '    runs-on: ubuntu-latest',
      '    timeout: 10',
      '    steps:',
      '      - uses: mlops-actions/mlops-actions/actions/train@main',
      '        with:',
      '          command: node train.mjs',
      '          colour: blue',
      '      - run: echo ${{ secret.TOKEN }}',
    ].join('\n');
    const errors = await errorsOf('.github/workflows/broken.yml', broken);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^5: Unexpected value 'timeout'/),
        expect.stringMatching(/^10: Invalid action input 'colour'/),
        expect.stringMatching(/^11: Unrecognized named-value: 'secret'/),
      ]),
    );
  });
});
