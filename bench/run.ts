// `npm run bench`: runs every bench/*.bench.ts in turn, each in its own process so one
// benchmark's warm JIT or heap does not flatter the next. Each prints its own figures.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOALS_FILE_VARIABLE, goalTable } from './goals';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'pipette-bench-'));
const goals = join(scratch, 'goals.jsonl');
writeFileSync(goals, '');
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file} ==\n`);
  const env = { ...process.env, [GOALS_FILE_VARIABLE]: goals, PIPETTE_BENCH_NAME: file.replace(/\.bench\.ts$/, '') };
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit', env });
  if (run.status !== 0) failed++;
}
// Every figure an issue sets a goal for, in one table (issue 15: "prints every figure next to its goal").
process.stdout.write(`\n== goals ==\n${goalTable(readFileSync(goals, 'utf8').split('\n'))}\n`);
rmSync(scratch, { recursive: true, force: true });
if (failed) {
  process.stderr.write(`${failed} benchmark(s) failed\n`);
  process.exit(1);
}
