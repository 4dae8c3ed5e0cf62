// The one report of a loop run: what was planned, what each step did and why, and where each stage's
// own report is. Written to `<state-dir>/runs/<run-id>/loop.md` (and loop.json for scripts).
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { escapeMarkdownText } from '../markdown/escape.js';
import type { LoopRequest } from './loop-plan.js';
import type { LoopResult } from './run-loop.js';

const MARK: Record<string, string> = { passed: '✔', restored: '♻', failed: '✘', skipped: '·' };

function cell(text: string): string {
  return escapeMarkdownText(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The report's Markdown: a table of the steps, then each stage's own summary. */
export async function renderLoopReport(
  result: LoopResult,
  request: LoopRequest,
  context: { runId: string; configFile: string; runDir: string },
): Promise<string> {
  const verdict = result.ok
    ? result.promoted
      ? `promoted ${result.promoted.version ?? result.promoted.digest} to ${result.promoted.alias}`
      : 'passed'
    : 'failed';
  const lines = [
    `# mlops run (${request.event}${request.from ? `, from ${request.from}` : ''}): ${verdict}`,
    '',
    `Run \`${context.runId}\`, loop from \`${cell(context.configFile)}\`.${result.rolledBack ? ` Rolled back: ${cell(result.rolledBack)}.` : ''}`,
    '',
    '| step | result | why | files |',
    '|---|---|---|---|',
  ];
  for (const step of result.steps) {
    const files = step.folder ? `[${relative(context.runDir, step.folder) || '.'}/](${relative(context.runDir, step.folder)}/)` : '';
    lines.push(`| ${step.step} | ${MARK[step.status]} ${step.status} | ${cell(step.why)} | ${files} |`);
  }
  for (const step of result.steps) {
    if (!step.folder) continue;
    const summary = await readFile(join(step.folder, 'summary.md'), 'utf8').catch(() => '');
    if (!summary.trim()) continue;
    // Each stage's summary one level down, so the loop's heading stays the only top one.
    lines.push('', '---', '', summary.trim().replace(/^(#+) /gm, '#$1 '));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes loop.md and loop.json into the run's folder; returns the path of loop.md. */
export async function writeLoopReport(
  result: LoopResult,
  request: LoopRequest,
  context: { runId: string; configFile: string; runDir: string },
): Promise<string> {
  const path = join(context.runDir, 'loop.md');
  await writeFileAtomic(path, await renderLoopReport(result, request, context));
  await writeFileAtomic(
    join(context.runDir, 'loop.json'),
    `${JSON.stringify({ runId: context.runId, event: request.event, from: request.from ?? null, ok: result.ok, promoted: result.promoted ?? null, rolledBack: result.rolledBack ?? null, plan: result.plan, steps: result.steps }, null, 2)}\n`,
  );
  return path;
}
