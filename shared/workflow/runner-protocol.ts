// The runner's side of the protocol a step speaks: the GITHUB_OUTPUT / GITHUB_ENV files (`name=value`
// lines or `name<<delimiter` blocks), GITHUB_PATH (one folder a line) and the workflow commands a step
// prints on stdout (`::error file=a.csv,line=3::message`), read back as the runner reads them.

/** A workflow command as the runner reads it. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** The command a line of stdout holds (leading white space ignored, as the runner does), or undefined. */
export function parseCommandLine(line: string): WorkflowCommand | undefined {
  const match = /^\s*::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$/.exec(line.replace(/\r$/, ''));
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: match[1]!, properties, message: unescapeData(match[3]!) };
}

/** A GITHUB_OUTPUT or GITHUB_ENV file's pairs, in order, later ones winning. Throws on an unterminated block. */
export function parseKeyValueFile(text: string, file = 'GITHUB_OUTPUT'): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (eq === -1 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`${file}: the value of ${name} never ends (no line ${JSON.stringify(delimiter)})`);
      values[name] = value.join('\n');
    } else if (eq > 0) {
      values[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`${file}: ${JSON.stringify(line)} is neither name=value nor name<<delimiter`);
    }
  }
  return values;
}

/** The folders a GITHUB_PATH file adds, first line first. */
export function parsePathFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
