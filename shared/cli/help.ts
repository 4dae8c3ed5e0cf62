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
    '  mlops run [--event push] [--dry]      the whole loop of mlops.yml for an event (mlops run --help)',
    '  mlops <stage> --<input> <value> ...   run one stage (repeat a flag for list inputs)',
    "  mlops <stage> --help                  the stage's inputs and outputs",
    '  mlops profile merge A.json B.json ... merge data profiles of shards (JSON on stdout)',
    '  mlops serve <model-folder> [--port 8080] [--host 127.0.0.1]   serve an ONNX model (mlops serve --help)',
    '  mlops registry <command> ...          list, show, pull, promote, roll back, see the history of,',
    '                                        diff and clean up registered models (mlops registry --help)',
    '  mlops deploy status|rollback|stop [--name <name>]   what the process target serves; roll back; stop it',
    "  mlops workflow run <file> --event <name> [--payload event.json]   run a workflow's jobs here, as a",
    '                                        runner would (mlops workflow --help)',
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

/** An option of `mlops registry` commands: `value` names its argument; without it the flag stands alone. */
export interface RegistryOption {
  value?: string;
  description: string;
}

export const REGISTRY_OPTIONS = {
  registry: {
    value: 'R',
    description:
      'where models live when an argument is a bare name (`penguins`, `penguins@production`): a folder of OCI image layouts (default .mlops/registry) or oci://host[:port]/namespace.',
  },
  username: {
    value: 'user',
    description:
      'user name for an oci:// registry. The password or token is read from the environment variable MLOPS_REGISTRY_PASSWORD, never from a flag (flags show in `ps`).',
  },
  replace: { description: 'pull: replace the target folder when it exists and is not empty.' },
  'grace-minutes': {
    value: 'N',
    description:
      'gc: keep unreferenced blobs younger than N minutes (default 10): a register running meanwhile writes blobs before its manifest.',
  },
} as const satisfies Record<string, RegistryOption>;
export type RegistryOptionName = keyof typeof REGISTRY_OPTIONS;

/** One `mlops registry` command: its arguments, what it does, and the options it takes besides --registry and --username. */
export interface RegistryCommandHelp {
  name: string;
  /** Positional arguments; `[x]` is optional. */
  args: string[];
  summary: string;
  details: string;
  options: RegistryOptionName[];
}

export const REGISTRY_COMMANDS: readonly RegistryCommandHelp[] = [
  {
    name: 'list',
    args: ['[name]'],
    summary: "the model names in a layout folder, or one model's versions and aliases",
    details:
      'Without a name: the names in the layout folder --registry (an oci:// registry needs a name: the catalog API is often disabled). With a name: one line per version (v<N> in order, then other version tags) with its digest, package time and the aliases pointing at it. A tag is an alias when an alias move recorded it; v<N> is always a version.',
    options: [],
  },
  {
    name: 'show',
    args: ['<ref>'],
    summary: 'one model: digest, files, format, time, lineage (metrics, verdict), versions and aliases',
    details:
      'A reference is <registry>/<name>@<alias|version|digest> (.mlops/registry/penguins@v3, oci://ghcr.io/acme/penguins@production) or a bare <name>@<alias|version|digest> looked up in --registry.',
    options: [],
  },
  {
    name: 'pull',
    args: ['<ref>', '<target-dir>'],
    summary: "the model's files into a new folder, every digest verified",
    details:
      'Extraction is strict: absolute paths, "..", links and device files are refused and nothing is written outside the target; on any failure nothing is left at the target. The target must not exist or be empty (or --replace).',
    options: ['replace'],
  },
  {
    name: 'promote',
    args: ['<ref>', '<alias>'],
    summary: 'point an alias (staging, production, …) at a model, recording the move',
    details:
      'The move is recorded in the registry as an alias-event referrer, so history and rollback work from any machine. An alias cannot be a version tag: versions are immutable.',
    options: [],
  },
  {
    name: 'rollback',
    args: ['<name>', '<alias>'],
    summary: 'move an alias back to the model it pointed at before its last promotion',
    details:
      '<name> is <registry>/<name> (.mlops/registry/penguins, oci://host/ns/penguins) or a bare name in --registry. Prints from → to; the rollback is recorded like any move.',
    options: [],
  },
  {
    name: 'history',
    args: ['<name>', '<alias>'],
    summary: 'every recorded move of an alias, oldest first',
    details: 'One line per move: sequence, time, action (promote or rollback), from, to, version and the run that moved it.',
    options: [],
  },
  {
    name: 'diff',
    args: ['<ref-a>', '<ref-b>'],
    summary: 'files added, removed and changed (by layer digest) and metrics from A to B',
    details:
      "Metrics come from each model's metrics referrer (the whole file) and its evaluation referrer's annotations (named evaluation.<metric>), with the verdicts. Nothing is pulled.",
    options: [],
  },
  {
    name: 'gc',
    args: ['[name]'],
    summary: 'remove blobs no manifest in a layout reaches (all names when none is given)',
    details:
      'Layouts only: a distribution registry collects its own garbage (registry garbage-collect, run by its operator), so gc refuses oci://. Every registered version and lineage file stays reachable.',
    options: ['grace-minutes'],
  },
];

function optionLine(name: string, option: RegistryOption): string {
  const flag = `--${name}${option.value ? ` <${option.value}>` : ''}`;
  return `  ${flag}\n${wrap(option.description, '      ')}`;
}

/** `mlops registry --help`. */
export function registryHelp(): string {
  const rows = REGISTRY_COMMANDS.map((c) => `  ${`${c.name} ${c.args.join(' ')}`.padEnd(28)} ${c.summary}`);
  return [
    'mlops registry: the models in a registry (OCI image layouts on disk, or any OCI registry).',
    '',
    'Usage: mlops registry <command> <arguments> [--registry R] [--username user]',
    '',
    'Commands:',
    ...rows,
    '',
    'References: <registry>/<name>@<alias|version|digest>, or <name>@<alias|version|digest> in --registry.',
    '',
    'Options:',
    optionLine('registry', REGISTRY_OPTIONS.registry),
    optionLine('username', REGISTRY_OPTIONS.username),
    '',
    'mlops registry <command> --help says more. Exit code: 0 done, 1 failed, 2 wrong usage.',
  ].join('\n');
}

/** `mlops registry <command> --help`. */
export function registryCommandHelp(command: RegistryCommandHelp): string {
  const options: RegistryOptionName[] = [...command.options, 'registry', 'username'];
  return [
    `mlops registry ${command.name} ${command.args.join(' ')}: ${command.summary}.`,
    '',
    wrap(command.details, ''),
    '',
    'Options:',
    ...options.map((name) => optionLine(name, REGISTRY_OPTIONS[name])),
  ].join('\n');
}
