import type { ActionSpec } from '../schemas/action-spec.js';
import { stages } from '../stages.js';

function wrap(text: string, indent: string, width = 96): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width - indent.length) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** `mlops --help`: the commands, from the stage schemas. */
export function mainHelp(): string {
  const rows = stages.map(({ spec }) => `  ${spec.name.padEnd(16)} ${spec.description}`);
  return [
    'mlops: run the ML loop locally, with the same inputs and outputs as the GitHub Actions.',
    '',
    'Usage:',
    '  mlops <stage> --<input> <value> ...   run one stage (repeat a flag for list inputs)',
    "  mlops <stage> --help                  the stage's inputs and outputs",
    '  mlops profile merge A.json B.json ... merge data profiles of shards (JSON on stdout)',
    '',
    'Stages:',
    ...rows,
    '',
    'Global options:',
    '  --state-dir <dir>   where runs, artifacts and caches are kept (default .mlops)',
    '',
    'Outputs are printed as name=value lines on stdout; logs and annotations go to stderr.',
  ].join('\n');
}

/** `mlops <stage> --help`: inputs and outputs from the action's schema. */
export function stageHelp(spec: ActionSpec): string {
  const inputs = Object.entries(spec.inputs).map(([name, input]) => {
    const tags = [input.required ? 'required' : undefined, input.default !== undefined ? `default: ${input.default}` : undefined]
      .filter(Boolean)
      .join(', ');
    return `  --${name}${tags ? ` (${tags})` : ''}\n${wrap(input.description, '      ')}`;
  });
  const outputs = Object.entries(spec.outputs).map(([name, output]) => `  ${name}\n${wrap(output.description, '      ')}`);
  return [`mlops ${spec.name}: ${spec.description}`, '', 'Inputs:', ...inputs, '', 'Outputs:', ...outputs].join('\n');
}
