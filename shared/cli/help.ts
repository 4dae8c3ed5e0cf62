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
    '  mlops serve <model-folder> [--port 8080] [--host 127.0.0.1]   serve an ONNX model (mlops serve --help)',
    '  mlops deploy status|rollback|stop [--name <name>]   what the process target serves; roll back; stop it',
    '',
    'Stages:',
    ...rows,
    '',
    'Options of every stage:',
    '  --state-dir <dir>   where runs, artifacts and caches are kept (default .mlops)',
    '  --run-id <id>       the run this stage belongs to; its files go to <state-dir>/runs/<id>/<stage>/.',
    '                      Stages of one loop share it: pass the same id, or export MLOPS_RUN_ID once.',
    '                      Default: MLOPS_RUN_ID, else a new id per stage run.',
    '  --output <format>   what goes to stdout: text (default: a short summary: verdict, key figures,',
    '                      the report), lines (name=value, one output per line) or json (one object',
    '                      of the outputs, values as strings). With lines and json the summary goes to stderr.',
    '',
    "Logs and annotations go to stderr. A training command's output is folded: on a terminal one line",
    'redrawn in place, otherwise only a count; all of it stays in <state-dir>/runs/<id>/train/train.log.',
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
