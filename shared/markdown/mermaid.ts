/** Text safe inside a quoted Mermaid string: no quotes, no line breaks, nothing that ends the block. */
export function mermaidText(text: string): string {
  return (
    text
      .replace(/["`\r\n]/g, ' ')
      .replace(/[<>#;]/g, ' ')
      .slice(0, 60)
      .trim() || '-'
  );
}

function number(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '0';
}

/**
 * A Mermaid xychart comparing two series over the same categories: `first` as bars, `second` as a
 * line. GitHub renders it in Markdown, so no image is uploaded anywhere.
 */
export function comparisonChart(options: {
  title: string;
  labels: string[];
  first: number[];
  second: number[];
  yLabel: string;
  legend: string;
}): string {
  const max = Math.max(1e-9, ...options.first, ...options.second);
  return [
    '```mermaid',
    'xychart-beta',
    `    title "${mermaidText(options.title)}"`,
    `    x-axis [${options.labels.map((l) => `"${mermaidText(l)}"`).join(', ')}]`,
    `    y-axis "${mermaidText(options.yLabel)}" 0 --> ${number(max * 1.1)}`,
    `    bar [${options.first.map(number).join(', ')}]`,
    `    line [${options.second.map(number).join(', ')}]`,
    '```',
    `<sub>${options.legend}</sub>`,
  ].join('\n');
}

/** A Mermaid line chart of one or more series over steps (learning curves). */
export function lineChart(options: { title: string; steps: number[]; series: number[][]; yLabel: string }): string {
  const all = options.series.flat().filter(Number.isFinite);
  const min = Math.min(...all);
  const max = Math.max(...all);
  return [
    '```mermaid',
    'xychart-beta',
    `    title "${mermaidText(options.title)}"`,
    `    x-axis [${options.steps.map((s) => String(s)).join(', ')}]`,
    `    y-axis "${mermaidText(options.yLabel)}" ${number(min)} --> ${number(max === min ? max + 1 : max)}`,
    ...options.series.map((s) => `    line [${s.map(number).join(', ')}]`),
    '```',
  ].join('\n');
}
