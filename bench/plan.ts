import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { windowsInventory } from '../test/helpers/inventory.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, interleaved, RUNS, spread, summarize } from './util.js';
import { ratio, verdict, type Row } from './table.js';

const SPOKES = 31;

/**
 * Hub-and-spoke: one plan of 31 spokes (default concurrency) against the tool run 31 times one
 * after another, each run the same pairing as one of the plan's. Interleaved, as every row.
 */
export async function planSpokes(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-bench-plan-'));
  try {
    const spokes = Array.from({ length: SPOKES }, (_, i) => ({ name: `branch${i + 1}`, address: `127.0.1.${i + 1}`, scope: `10.${i + 1}.10.0/24` }));
    writeFileSync(
      join(dir, 'hub.json'),
      JSON.stringify(
        windowsInventory(
          'hub',
          '127.0.0.1',
          spokes.map((s) => s.scope),
        ),
      ),
    );
    for (const s of spokes)
      writeFileSync(join(dir, `${s.name}.json`), JSON.stringify(windowsInventory(s.name, s.address, [`192.168.${spokes.indexOf(s)}.0/24`])));
    const plan = join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        servers: Object.fromEntries([
          ['hub', { address: '127.0.0.1', source: 'inventory:hub.json' }],
          ...spokes.map((s) => [s.name, { address: s.address, source: `inventory:${s.name}.json` }]),
        ]),
        pairings: spokes.map((s) => ({ local: 'hub', partner: s.name, scopes: [s.scope] })),
        options: { timeout: '2s' },
      }),
    );
    let planExit: number | null = null;
    const rounds = Math.min(RUNS, 3);
    const samples = await interleaved(
      rounds,
      {
        plan: async () => {
          const t = await cli(['plan', plan, '--format', 'json'], { timeoutMs: 60_000 });
          planExit = t.code;
          if (t.code === null || t.code > 3) throw new Error(`plan exit ${t.code}: ${t.stderr.trim().slice(0, 200)}`);
          const r = JSON.parse(t.stdout) as { pairings: unknown[] };
          if (r.pairings.length !== SPOKES) throw new Error(`plan reported ${r.pairings.length} pairings`);
          return t.wallMs;
        },
        serial: async () => {
          let sum = 0;
          for (const s of spokes) {
            const t = await cli(
              [
                s.address,
                '--local',
                '127.0.0.1',
                '--local-source',
                `inventory:${join(dir, 'hub.json')}`,
                '--partner-source',
                `inventory:${join(dir, `${s.name}.json`)}`,
                '--scope',
                s.scope,
                '--timeout',
                '2s',
                '--format',
                'json',
              ],
              { timeoutMs: 60_000 },
            );
            if (t.code === null || t.code > 3) throw new Error(`single run exit ${t.code}: ${t.stderr.trim().slice(0, 200)}`);
            sum += t.wallMs;
          }
          return sum;
        },
      },
      0,
    );
    const p = summarize(samples.plan);
    const s = summarize(samples.serial);
    return [
      {
        measurement: `plan of ${SPOKES} spokes vs ${SPOKES} runs one after another`,
        ours: spread(p),
        comparedWith: `${SPOKES} single runs: ${spread(s)}`,
        ratio: ratio(p.median, s.median),
        target: '≤ 0.25×',
        result: verdict(p.median / s.median <= 0.25),
        note: `A Windows hub and ${SPOKES} spokes from inventory files on loopback (127.0.1.x), every check, \`--timeout 2s\`, the plan at the default --concurrency 8 (exit ${String(planExit)}); ${p.n} interleaved rounds. The single runs are the same pairings, one process each, back to back.`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
