import { InputError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `90`, `30s`, `5m`, `1.5h`, `500ms` (seconds without a unit); InputError naming `input` otherwise. */
export function parseDuration(value: string, input: string): number {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) throw new InputError(`input '${input}': "${value}" is not a duration; expected a number with s, m, h or ms (e.g. 30s, 5m)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!);
}

/** A PromQL range selector for `ms`: whole seconds, at least 1 s (`[300s]`). */
export function promqlRange(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** `90 s`, `5 min`, `1.5 h`: for the report. */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  if (ms < 7_200_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
