import { cli, interleaved, RUNS, spread, summarize, timed } from './util.js';
import { ratio, verdict, type Row } from './table.js';
import { modulesLoaded } from './modules.js';

/**
 * Cold start: `dhcp-failover-check --version` against `node -e 0`, interleaved. Cheap, so it runs
 * 3×BENCH_RUNS rounds (the noise on a ~50 ms process is large).
 */
export async function coldStart(): Promise<Row[]> {
  const check = (t: { code: number | null; stderr: string }, what: string) => {
    if (t.code !== 0) throw new Error(`${what} exited ${t.code}: ${t.stderr.trim()}`);
  };
  const samples = await interleaved(RUNS * 3, {
    ours: async () => {
      const t = await cli(['--version']);
      check(t, '--version');
      return t.wallMs;
    },
    node: async () => {
      const t = await timed([process.execPath, '-e', '0']);
      check(t, 'node -e 0');
      return t.wallMs;
    },
    // Not a target: how much of a real invocation is module loading (commander, zod, checks).
    help: async () => {
      const t = await cli(['--help']);
      return t.wallMs;
    },
  });
  const ours = summarize(samples.ours);
  const node = summarize(samples.node);
  const help = summarize(samples.help);
  const r = ours.median / node.median;
  const mods = await modulesLoaded(['--version']);
  const helpMods = await modulesLoaded(['--help']);
  return [
    {
      measurement: 'cold start: `--version`',
      ours: spread(ours),
      comparedWith: `\`node -e 0\`: ${spread(node)}`,
      ratio: ratio(ours.median, node.median),
      target: '≤ 2×',
      result: verdict(r <= 2),
      note: `${ours.n} interleaved runs each, after one warm-up round (page cache warm). For scale, \`--help\` (loads commander and the option parser): ${spread(help)}, ${ratio(help.median, node.median)} node. \`--version\` loads ${mods.own} files of dist/bundle holding ${mods.packages.length ? mods.packages.join(', ') : 'no npm package'}; \`--help\` loads ${helpMods.own}, holding ${helpMods.packages.join(', ')}.`,
    },
  ];
}
