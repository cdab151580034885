// `npm run bench`: side-by-side timings of dhcp-failover-check (see docs/performance.md).
// Env: BENCH_RUNS (runs per measurement, default 7), BENCH_ONLY (comma-separated row names, see
// ROWS), BENCH_NO_DOC=1 (do not rewrite docs/performance.md). `--help` prints this.
import { coldStart } from './cold-start.js';
import { hostileInputs } from './hostile.js';
import { hostileExport } from './hostile-export.js';
import { fullRun } from './full-run.js';
import { startLab, type Lab } from './lab.js';
import { plugins } from './plugins.js';
import { writePerformanceDoc } from './report.js';
import { scopesFromFiles, scopesInMemory } from './scopes.js';
import { silentPartner } from './silent.js';
import { startUp } from './start-up.js';
import { planSpokes } from './plan.js';
import { planSilentPartners } from './plan-silent.js';
import { errorRow, markdownTable, notes, type Row } from './table.js';
import { log, RUNS } from './util.js';

/** The names BENCH_ONLY takes, in the order the rows run. */
const ROWS: Record<string, string> = {
  cold: '--version cold start vs bare node',
  startup: 'start-up of a full loopback run vs bare node',
  full: 'full run against the loopback lab (Kea pair + chrony)',
  plugins: 'monitoring-plugins check_ping + check_ntp_time + check_tcp vs our full run (installs monitoring-plugins-basic as root)',
  silent: 'one silent partner, --timeout 2s',
  plan: 'plan of 31 spokes vs 31 single runs',
  'plan-silent': 'plan of 2,000 pairings with 50 silent partners vs none, --timeout 2s (A ≤ 2·T + B, RSS < 400 MB)',
  scopes: 'scope comparison in memory',
  files: 'scope comparison through windows-json / windows-export files',
  hostile: "issue 23's bounds: a 400,000-scope inventory, valid and all invalid (time, peak RSS), 160 KB of unclosed brackets, a Kea include fan-out",
  'hostile-export': 'a 60 MB Windows export through the CLI (time, peak RSS), and SIGTERM during its parse (≤ 1 s, exit 143)',
};

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    `node dist/bench/bench.js   (npm run bench builds first)\n\n` +
      `Env: BENCH_RUNS=n (runs per measurement, default 7), BENCH_ONLY=row[,row...] (only these rows;\n` +
      `docs/performance.md is then left alone), BENCH_NO_DOC=1 (never rewrite docs/performance.md).\n\nRows:\n` +
      Object.entries(ROWS)
        .map(([k, v]) => `  ${k.padEnd(12)} ${v}`)
        .join('\n') +
      `\n\ne.g. BENCH_ONLY=plan-silent node dist/bench/bench.js\n`,
  );
  process.exit(0);
}

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const want = (name: string) => !only || only.includes(name);

async function measure(name: string, target: string, fn: () => Promise<Row[]>): Promise<Row[]> {
  if (!(name in ROWS)) throw new Error(`bench: row ${name} is missing from ROWS`);
  if (!want(name)) return [];
  const t0 = performance.now();
  log(`${name}: running (${RUNS} runs)...`);
  try {
    const rows = await fn();
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return rows;
  } catch (err) {
    log(`${name}: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return [errorRow(name, target, err)];
  }
}

async function bench(): Promise<number> {
  const unknown = only?.filter((n) => !(n in ROWS)) ?? [];
  if (unknown.length) {
    log(`BENCH_ONLY: unknown row ${unknown.join(', ')} (rows: ${Object.keys(ROWS).join(', ')})`);
    return 2;
  }
  if (process.getuid?.() !== 0) log('not root: the silent-partner netns (and maybe Kea/chrony) will fail');
  const started = performance.now();
  const rows: Row[] = [];
  rows.push(...(await measure('cold', '≤ 2×', coldStart)));
  rows.push(...(await measure('startup', '≤ 1.2× / ≤ 1.5×', startUp)));

  let lab: Lab | undefined;
  try {
    if (want('full') || want('plugins')) {
      try {
        lab = await startLab();
      } catch (err) {
        rows.push(errorRow('loopback lab (Kea pair + chrony)', '—', err));
      }
    }
    if (lab) {
      const l = lab;
      rows.push(...(await measure('full', '≤ 1.2×', async () => (await fullRun(l)).rows)));
      rows.push(...(await measure('plugins', 'info', () => plugins(l))));
    }
  } finally {
    await lab?.stop();
  }

  rows.push(...(await measure('silent', '≤ 2.5 s', silentPartner)));
  rows.push(...(await measure('plan', '≤ 0.25×', planSpokes)));
  rows.push(...(await measure('plan-silent', '≤ 2·T + B; RSS < 400 MB', planSilentPartners)));
  rows.push(...(await measure('scopes', '≤ 1 s, ≤ 200 MB', scopesInMemory)));
  rows.push(...(await measure('files', '≤ 1 s, ≤ 200 MB', scopesFromFiles)));
  rows.push(...(await measure('hostile', '≤ 3 s, ≤ 500 MB; exit 2', hostileInputs)));
  rows.push(...(await measure('hostile-export', '≤ 300 MB; SIGTERM ≤ 1 s, exit 143', hostileExport)));

  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`\n${markdownTable(rows)}\n\n${notes(rows)}\n\n(${RUNS} runs each, ${seconds.toFixed(0)} s)\n`);
  if (!only && process.env.BENCH_NO_DOC !== '1') log(`wrote ${writePerformanceDoc(rows, seconds)}`);
  return rows.some((r) => r.result === 'ERROR') ? 1 : 0;
}

process.exitCode = await bench();
