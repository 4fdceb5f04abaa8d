// One place where a bench states a figure the issues set a goal for. Each bench prints its own
// lines as it goes; `npm run bench` (bench/run.ts) also collects every goal into one table at
// the end, so the closing note copies one table rather than hunting through the log.
import { appendFileSync } from 'node:fs';

/** The file `bench/run.ts` asks every bench to append its goals to (one JSON object per line). */
export const GOALS_FILE_VARIABLE = 'PIPETTE_BENCH_GOALS';

export interface Goal {
  /** Where the goal comes from, e.g. "15.3". */
  readonly issue: string;
  /** What was measured, in words a person reads in the note. */
  readonly figure: string;
  readonly measured: number;
  /** `<=` unless the issue says "under" (`<`). */
  readonly comparison?: '<=' | '<';
  readonly goal: number;
  /** e.g. "ms", "x", "characters". */
  readonly unit: string;
  /** The physical limit the figure is bounded by, where one exists (issue 15 item 1). */
  readonly limit?: number;
}

export function met(goal: Goal): boolean {
  return (goal.comparison ?? '<=') === '<' ? goal.measured < goal.goal : goal.measured <= goal.goal;
}

function number(value: number, unit: string): string {
  const digits = unit === 'x' ? 2 : Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit === 'x' ? 'x' : ` ${unit}`}`;
}

/** The line a bench prints for one goal. */
export function goalLine(goal: Goal): string {
  const limit = goal.limit === undefined ? '' : `; physical limit ${number(goal.limit, goal.unit)}`;
  return `${goal.figure}: ${number(goal.measured, goal.unit)} (goal ${goal.comparison ?? '<='} ${number(goal.goal, goal.unit)}: ${met(goal) ? 'met' : 'NOT met'}${limit})`;
}

/** Records the goal for the run's summary table (for a bench that prints its own line). */
export function recordGoal(goal: Goal): void {
  const file = process.env[GOALS_FILE_VARIABLE];
  if (file) appendFileSync(file, `${JSON.stringify({ ...goal, bench: process.env.PIPETTE_BENCH_NAME ?? '' })}\n`);
}

/** Prints the goal's line and records it for the run's summary table. */
export function reportGoal(goal: Goal): void {
  console.log(`  ${goalLine(goal)}`);
  recordGoal(goal);
}

/** The summary table `npm run bench` prints at the end, from the recorded lines. */
export function goalTable(lines: readonly string[]): string {
  const goals = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as Goal & { bench: string });
  if (goals.length === 0) return 'No goals were recorded.';
  const rows = goals.map((g) => [
    g.issue,
    g.figure,
    number(g.measured, g.unit),
    `${g.comparison ?? '<='} ${number(g.goal, g.unit)}`,
    g.limit === undefined ? '' : number(g.limit, g.unit),
    met(g) ? 'met' : 'NOT met',
    g.bench,
  ]);
  const head = ['issue', 'figure', 'measured', 'goal', 'physical limit', 'verdict', 'bench'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
