/** One broken rule, located for an annotation. */
export interface Violation {
  file: string;
  line?: number;
  column?: string;
  value?: string;
  /** `type`, `required`, `minimum`, … for cells; `row-length`, `encoding`, `csv`, `rows`, … for structure; `expectation` for dataset checks. */
  rule: string;
  message: string;
}

const MAX_VALUE_SHOWN = 80;

/** Counts every violation and keeps the first `limit` for reporting, so memory stays constant. */
export class ViolationLog {
  count = 0;
  readonly reported: Violation[] = [];

  constructor(readonly limit: number) {}

  /** Records a violation; builds its message only while under the limit. */
  add(file: string, line: number | undefined, rule: string, describe: () => string, column?: string, value?: string): void {
    this.count++;
    if (this.reported.length < this.limit) {
      const shown = value !== undefined && value.length > MAX_VALUE_SHOWN ? `${value.slice(0, MAX_VALUE_SHOWN)}…` : value;
      this.reported.push({ file, line, column, value: shown, rule, message: describe() });
    }
  }

  /** Takes in violations found elsewhere (another thread or shard), shifting their line numbers. */
  absorb(count: number, reported: Violation[], lineOffset = 0): void {
    this.count += count;
    for (const v of reported) {
      if (this.reported.length >= this.limit) break;
      this.reported.push(v.line === undefined ? v : { ...v, line: v.line + lineOffset });
    }
  }
}
