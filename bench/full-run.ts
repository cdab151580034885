import { CHECK_IDS } from '../src/checks/ids.js';
import type { Lab } from './lab.js';
import { modulesLoaded } from './modules.js';
import { cli, interleaved, log, ms, RUNS, spread, summarize, type Timed } from './util.js';
import { ratio, verdict, type Row } from './table.js';

interface JsonCheck {
  id: string;
  status: string;
  durationMs?: number;
}

function parse(t: Timed, what: string): { checks: JsonCheck[]; exitCode: number; durationMs: number } {
  try {
    return JSON.parse(t.stdout) as { checks: JsonCheck[]; exitCode: number; durationMs: number };
  } catch {
    throw new Error(`${what}: no JSON report (exit ${t.code}): ${t.stderr.trim().slice(0, 300)}`);
  }
}

/**
 * A full run (every check: the nine documented ones plus any extra the CLI runs) against the lab vs
 * the slowest single check, each check that the full run does not skip timed on its own as
 * `--only <id>` (a whole process, like the full run). All commands are interleaved per round.
 * The ratio is median(full wall) / max over ids of median(--only id wall).
 */
export async function fullRun(lab: Lab): Promise<{ rows: Row[]; fullWalls: number[] }> {
  const base = [...lab.args, '--format', 'json'];
  const statuses = new Map<string, string>();
  // One discovery run: which checks the full run actually runs against this lab.
  const first = parse(await cli(base, { env: lab.env }), 'full run');
  const RUN = CHECK_IDS.filter((id) => first.checks.some((c) => c.id === id && c.status !== 'skip'));
  const skipped = first.checks.filter((c) => c.status === 'skip').map((c) => c.id);
  const inReport: number[] = [];
  const fullInProcess: number[] = [];
  const singleInProcess: Record<string, number[]> = {};
  const tasks: Record<string, () => Promise<number>> = {
    full: async () => {
      const t = await cli(base, { env: lab.env });
      const r = parse(t, 'full run');
      for (const c of r.checks) statuses.set(c.id, c.status);
      inReport.push(Math.max(...r.checks.map((c) => c.durationMs ?? 0)));
      fullInProcess.push(r.durationMs);
      return t.wallMs;
    },
  };
  for (const id of RUN) {
    tasks[id] = async () => {
      const t = await cli([...base, '--only', id], { env: lab.env });
      const r = parse(t, `--only ${id}`);
      const c = r.checks.find((x) => x.id === id);
      if (!c || c.status === 'skip') throw new Error(`--only ${id}: check not run`);
      (singleInProcess[id] ??= []).push(r.durationMs);
      return t.wallMs;
    };
  }
  const samples = await interleaved(RUNS, tasks);
  const full = summarize(samples.full!);
  const singles = RUN.map((id) => ({ id, s: summarize(samples[id]!) })).sort((a, b) => b.s.median - a.s.median);
  const slowest = singles[0]!;
  const r = full.median / slowest.s.median;
  // The same comparison without process start-up: the reports' own durationMs.
  const fullIn = summarize(fullInProcess).median;
  const slowestIn = RUN.map((id) => ({ id, v: summarize(singleInProcess[id] ?? []).median })).sort((a, b) => b.v - a.v)[0]!;
  const mods = await modulesLoaded(base, lab.env);
  const unknown = [...statuses].filter(([, s]) => s === 'unknown').map(([id]) => id);
  if (unknown.length) log(`full run: checks unknown: ${unknown.join(', ')}`);
  return {
    fullWalls: samples.full!,
    rows: [
      {
        measurement: `full run (${RUN.length} checks) vs slowest single check`,
        ours: spread(full),
        comparedWith: `\`--only ${slowest.id}\`: ${spread(slowest.s)}`,
        ratio: ratio(full.median, slowest.s.median),
        target: '≤ 1.2×',
        result: verdict(r <= 1.2),
        note:
          `${lab.describe}; \`--format json\`, ${full.n} interleaved rounds of ${RUN.length + 1} processes (full run + \`--only <id>\` for each check it runs${skipped.length ? `; ${skipped.join(', ')} ${skipped.length === 1 ? 'skips itself' : 'skip themselves'} for a Kea pair` : ''}). ` +
          `Statuses: ${[...statuses].map(([id, s]) => `${id} ${s}`).join(', ')}. ` +
          `The denominator is the largest of ${RUN.length} noisy medians, which noise pushes up; the start-up-free ratio below is the sharper test of "everything runs at once". ` +
          `Single-check walls (median): ${singles.map((x) => `${x.id} ${ms(x.s.median)}`).join(', ')}. ` +
          `Without process start-up (the reports' own durationMs, medians): full ${ms(fullIn)} vs slowest single \`--only ${slowestIn.id}\` ${ms(slowestIn.v)} = ${ratio(fullIn, slowestIn.v)}; ` +
          `the slowest check's durationMs inside the full run: ${ms(summarize(inReport).median)}. ` +
          `npm packages the full run loads: ${mods.packages.join(', ') || 'none'} (${mods.own} files of dist/bundle; ldapts ${mods.packages.includes('ldapts') ? 'LOADED although no --ldap' : 'not loaded'}).`,
      },
    ],
  };
}
