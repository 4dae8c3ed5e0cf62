// Prometheus's text exposition format (version 0.0.4), as the serving runtime's /metrics writes it:
// `name{label="value",…} number [timestamp]` lines; `#` lines are comments (HELP, TYPE).

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** The sample's value; undefined when it is not a number (the line is not a sample). */
function parseValue(text: string): number | undefined {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** The samples of an exposition; lines that do not parse are skipped (a scrape is read leniently, as Prometheus reports but keeps going). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    LABEL.lastIndex = 0;
    let ok = true;
    while (LABEL.lastIndex < body.length) {
      const at = LABEL.lastIndex;
      const label = LABEL.exec(body);
      if (!label) {
        ok = body.slice(at).trim() === '';
        break;
      }
      labels[label[1]!] = unescapeLabel(label[2]!);
    }
    const value = parseValue(match[3]!);
    if (ok && value !== undefined) samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}
