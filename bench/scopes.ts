import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomScopes, writeWindowsExport, writeWindowsJson } from './scope-data.js';
import { log, mib, ms, RUNS, spread, summarize, timed } from './util.js';
import { verdict, type Row } from './table.js';

const N = Number(process.env.BENCH_SCOPES ?? 100_000);
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const RUN_LIMIT_MS = 30_000;
const count = N.toLocaleString('en-US').replace(/,/g, ' ');

/**
 * findCollisions on N random scopes against N, each run in a fresh node child (cold JIT, as in a
 * real run), timing only the call; peak RSS is the child's maxRSS (generation included).
 */
export async function scopesInMemory(): Promise<Row[]> {
  const times: number[] = [];
  const rss: number[] = [];
  let info = { collisions: 0, overlaps: 0, rssStartKiB: 0, rssDataKiB: 0 };
  for (let i = 0; i < RUNS; i++) {
    const t = await timed([process.execPath, here('./scopes-child.js'), String(N), String(1000 + i)], { fd3: true });
    if (t.code !== 0) throw new Error(`scopes child exited ${t.code}: ${t.stderr.trim().slice(0, 300)}`);
    const r = JSON.parse(t.fd3) as { compareMs: number; maxRssKiB: number } & typeof info;
    times.push(r.compareMs);
    rss.push(r.maxRssKiB);
    info = r;
  }
  const t = summarize(times);
  const m = summarize(rss);
  return [
    {
      measurement: `scopes: findCollisions, ${count} vs ${count} (in memory)`,
      ours: spread(t),
      comparedWith: '—',
      ratio: '—',
      target: '≤ 1 s',
      result: verdict(t.median <= 1000),
      note: `Random distinct /22–/28 scopes per side (new seeds each run; last run: ${info.collisions} colliding scopes, ${info.overlaps} partner matches). One fresh node child per run, timing only the call.`,
    },
    {
      measurement: `scopes: peak RSS, ${count} vs ${count} (in memory)`,
      ours: spread(m, mib),
      comparedWith: `node at start: ${mib(info.rssStartKiB)}`,
      ratio: '—',
      target: '≤ 200 MB',
      result: verdict(m.max <= 200 * 1024),
      note: `maxRSS of that child (process.resourceUsage(), whole process: node itself, both generated scope arrays, the comparison). RSS after generating the data, before comparing: ${mib(info.rssDataKiB)}.`,
    },
  ];
}

/**
 * The same through files: a windows-json bundle and an Export-DhcpServer XML per side, N scopes
 * each, and the CLI run with `--only scopes --format json` (read + parse + compare + report).
 * Wall and peak RSS come from bench/rss-main.js: the CLI's main() in-process exactly as bin/ runs it,
 * reporting its own process.resourceUsage().maxRSS at exit.
 */
export async function scopesFromFiles(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-bench-scopes-'));
  try {
    const local = randomScopes(N, 7);
    const partner = randomScopes(N, 7 + 0x9e3779b9);
    const files = {
      'windows-json': [join(dir, 'local.json'), join(dir, 'partner.json')] as const,
      'windows-export': [join(dir, 'local.xml'), join(dir, 'partner.xml')] as const,
    };
    const sizes = {
      'windows-json': writeWindowsJson(files['windows-json'][0], 'DHCP1', local) + writeWindowsJson(files['windows-json'][1], 'DHCP2', partner),
      'windows-export': writeWindowsExport(files['windows-export'][0], local) + writeWindowsExport(files['windows-export'][1], partner),
    };
    log(`scope files: json ${(sizes['windows-json'] / 2 / 2 ** 20).toFixed(0)} MB each, xml ${(sizes['windows-export'] / 2 / 2 ** 20).toFixed(0)} MB each`);
    const rows: Row[] = [];
    for (const kind of ['windows-json', 'windows-export'] as const) {
      const [l, p] = files[kind];
      const args = ['10.255.0.2', '--only', 'scopes', '--local-source', `${kind}:${l}`, '--partner-source', `${kind}:${p}`, '--format', 'json'];
      const walls: number[] = [];
      const rss: number[] = [];
      let status = '';
      let error = '';
      for (let i = 0; i < RUNS; i++) {
        const t = await timed([process.execPath, here('./rss-main.js'), ...args], { fd3: true, timeoutMs: RUN_LIMIT_MS });
        if (t.signal) {
          // A hung parser must not eat the whole bench: one run over the limit ends this row.
          error = `killed after ${RUN_LIMIT_MS / 1000} s (${t.signal}) on run ${i + 1}; ${t.stderr.trim().slice(0, 200)}`;
          break;
        }
        walls.push(t.wallMs);
        if (t.fd3) rss.push((JSON.parse(t.fd3) as { maxRssKiB: number }).maxRssKiB);
        try {
          const r = JSON.parse(t.stdout) as { checks: { id: string; status: string; message: string }[] };
          const c = r.checks.find((x) => x.id === 'scopes');
          status = `${c?.status}, ${(c?.message.split('\n').length ?? 1) - 1} scope lines`;
        } catch {
          error = `exit ${t.code}: ${t.stderr.trim().slice(0, 300)}`;
        }
      }
      const w = summarize(walls);
      const m = summarize(rss);
      const phases = error ? '' : await phaseBreakdown(kind, l, p);
      const size = `${(sizes[kind] / 2 / 2 ** 20).toFixed(0)} MB`;
      if (error) log(`${kind}: ${error}`);
      rows.push({
        measurement: `scopes via ${kind}, ${count} vs ${count} (CLI, parse included)`,
        ours: spread(w),
        comparedWith: `peak RSS ${spread(m, mib)}`,
        ratio: '—',
        target: '≤ 1 s; RSS ≤ 200 MB',
        result: error ? 'ERROR' : verdict(w.median <= 1000 && m.max <= 200 * 1024),
        note: `Two ${size} files; whole CLI process (start, read, decode, parse, compare, JSON report); peak RSS = that process's maxRSS. Check: ${error || status}. ${phases}`,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Phase by phase, in a fresh child each time (min(3, BENCH_RUNS) runs, medians). */
async function phaseBreakdown(kind: 'windows-json' | 'windows-export', local: string, partner: string): Promise<string> {
  const runs: { phases: Record<string, number>; rss: Record<string, number>; maxRssKiB: number }[] = [];
  for (let i = 0; i < Math.min(3, RUNS); i++) {
    const t = await timed([process.execPath, here('./scope-phases-child.js'), kind, local, partner], { fd3: true, timeoutMs: RUN_LIMIT_MS });
    if (t.code !== 0 || !t.fd3) return `Phase breakdown failed: exit ${t.code ?? t.signal}: ${t.stderr.trim().slice(0, 200)}`;
    runs.push(JSON.parse(t.fd3));
  }
  const med = (f: (r: (typeof runs)[0]) => number) => summarize(runs.map(f)).median;
  const names: [string, string][] =
    kind === 'windows-json'
      ? [
          ['read', 'readGuardedText (read + decode)'],
          ['jsonParse', 'of which JSON.parse alone (timed apart)'],
          ['facts', 'windowsJsonFacts (JSON.parse + validation + scope objects)'],
          ['compare', 'findCollisions'],
        ]
      : [
          ['read', 'readGuardedText (read + decode)'],
          ['facts', 'windowsExportFacts (scan + scope objects)'],
          ['compare', 'findCollisions'],
        ];
  const parts = names.map(([k, label]) => `${label} ${ms(med((r) => r.phases[k] ?? 0))}`);
  const rss = Object.keys(runs[0]!.rss).map((k) => `${k} ${mib(med((r) => r.rss[k] ?? 0))}`);
  return `In-process phases, both files, median of ${runs.length}: ${parts.join('; ')}. RSS after each phase: ${rss.join(', ')}; peak ${mib(med((r) => r.maxRssKiB))}.`;
}
