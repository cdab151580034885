import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { markdownTable, notes, type Row } from './table.js';
import { PLAN_SILENT_SECTION } from './plan-silent.js';
import { ROOT, RUNS } from './util.js';

export function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} CPUs (nproc; ${model}), Node ${process.version}, ${process.platform} ${process.arch}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
}

/** docs/performance.md: the bench rewrites what lies between these; the rest is written by hand. */
const BEGIN = '<!-- bench:begin: `npm run bench` rewrites everything from here to bench:end -->';
const END = '<!-- bench:end -->';

export function performanceMarkdown(rows: readonly Row[], totalSeconds: number): string {
  return `## The latest bench

Measured with \`npm run bench\` (${RUNS} runs per measurement, ${Math.round(totalSeconds)} s in all) on ${machine()}:

${markdownTable(rows)}

How to read it: each figure is the **median** of the runs, with the fastest and slowest run in
brackets. Compared commands run interleaved (A, B, A, B, ...) in the same bench, so a noisy
moment on the machine hits both; the **ratio** of the two medians is the figure that carries
over to another machine, the absolute times do not. PASS / MISS compares the ratio (or, where
there is nothing to compare with, the value) with the target; rows marked \`info\` have no target.
Single runs swing by 2× or more on a busy machine (the min–max ranges show it), which is why
only medians and ratios are compared. Peak RSS is \`process.resourceUsage().maxRSS\` of the
process doing the work (node itself included), read inside that process at exit (the
\`plan-silent\` row reads GNU time's maximum resident set size of the CLI process instead).
Every server is real and local: Kea 2.2 and chronyd (shifted by libfaketime) on 127.0.0.0/8, the
silent partner in a private network namespace; the bench starts and stops them itself (as root).

What is behind each row:

${notes(rows)}

${PLAN_SILENT_SECTION}`;
}

export function writePerformanceDoc(rows: readonly Row[], totalSeconds: number): string {
  const path = `${ROOT}/docs/performance.md`;
  const generated = `${BEGIN}\n${performanceMarkdown(rows, totalSeconds)}${END}`;
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const [from, to] = [doc.indexOf(BEGIN), doc.indexOf(END)];
  writeFileSync(path, from !== -1 && to > from ? `${doc.slice(0, from)}${generated}${doc.slice(to + END.length)}` : `# Performance\n\n${generated}\n`);
  return path;
}
