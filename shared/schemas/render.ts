import { stringify } from 'yaml';
import type { ActionSpec } from './action-spec.js';

/** The action.yml of a stage, generated from its schema so the two cannot disagree; it runs the stage's entry in the one build. */
export function renderActionYml(
  spec: ActionSpec,
  branding: { icon: string; color: string },
  { main = `../../dist/${spec.name}.js`, source = `shared/schemas/${spec.name}.ts` } = {},
): string {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    inputs[name] = {
      description: input.description,
      required: input.required === true,
      ...(input.default !== undefined ? { default: input.default } : {}),
    };
  }
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const [name, output] of Object.entries(spec.outputs)) outputs[name] = { description: output.description };
  const body = stringify(
    {
      name: spec.title,
      description: spec.description,
      author: 'mlops-actions',
      branding,
      inputs,
      outputs,
      runs: { using: 'node24', main },
    },
    { lineWidth: 0 },
  );
  return `# Generated from ${source} by \`npm run docs\`: edit the schema, not this file.\n${body}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README's input and output tables of a stage. */
export function renderInputTables(spec: ActionSpec): string {
  const lines = ['| input | required | default | description |', '|---|---|---|---|'];
  for (const [name, input] of Object.entries(spec.inputs)) {
    lines.push(
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default !== undefined ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description)} |`,
    );
  }
  lines.push('', '| output | description |', '|---|---|');
  for (const [name, output] of Object.entries(spec.outputs)) lines.push(`| \`${name}\` | ${cell(output.description)} |`);
  return lines.join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`; throws when the markers are missing. */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i === -1 || j === -1 || j < i) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}
