import { modulesLoaded } from './modules.js';
import { ratio, verdict, type Row } from './table.js';
import { cli, interleaved, ROOT, RUNS, spread, summarize, timed } from './util.js';

// Start-up against bare node, as issue 11 measures it: `--version`, and a whole run on loopback
// from the shipped Windows bundles (`--skip time`: no NTP server on 127.0.0.2), interleaved with
// `node -e 0` so the machine's load hits all three alike.

const FULL = [
  '127.0.0.2',
  '--local-source',
  `windows-json:${ROOT}/examples/local.json`,
  '--partner-source',
  `windows-json:${ROOT}/examples/partner.json`,
  '--timeout',
  '2s',
  '--skip',
  'time',
  '--format',
  'json',
];

export async function startUp(): Promise<Row[]> {
  const expect = (t: { code: number | null; stderr: string }, code: number, what: string) => {
    if (t.code !== code) throw new Error(`${what} exited ${t.code}, expected ${code}: ${t.stderr.trim().slice(0, 300)}`);
  };
  const samples = await interleaved(RUNS * 3, {
    node: async () => {
      const t = await timed([process.execPath, '-e', '0']);
      expect(t, 0, 'node -e 0');
      return t.wallMs;
    },
    version: async () => {
      const t = await cli(['--version']);
      expect(t, 0, '--version');
      return t.wallMs;
    },
    full: async () => {
      const t = await cli(FULL);
      // The examples fail permissions and scopes: exit 1 is the run working.
      expect(t, 1, 'full loopback run');
      return t.wallMs;
    },
  });
  const node = summarize(samples.node);
  const version = summarize(samples.version);
  const full = summarize(samples.full);
  const mods = await modulesLoaded(FULL);
  const base = `\`node -e 0\`: ${spread(node)}`;
  return [
    {
      measurement: 'start-up: `--version` vs bare node',
      ours: spread(version),
      comparedWith: base,
      ratio: ratio(version.median, node.median),
      target: '≤ 1.2×',
      result: verdict(version.median / node.median <= 1.2),
      note: `${version.n} interleaved rounds of node -e 0, --version and the full loopback run, after one warm-up round.`,
    },
    {
      measurement: 'start-up: full loopback run (Windows bundles, `--skip time`) vs bare node',
      ours: spread(full),
      comparedWith: base,
      ratio: ratio(full.median, node.median),
      target: '≤ 1.5×',
      result: verdict(full.median / node.median <= 1.5),
      note: `\`dhcp-failover-check 127.0.0.2 --local-source windows-json:examples/local.json --partner-source windows-json:examples/partner.json --skip time --format json\` (TCP to 127.0.0.2:647 included; it refuses at once, so no \`ping\` process is started); loads ${mods.own} files of dist/bundle, holding ${mods.packages.length ? mods.packages.join(', ') : 'no npm package (commander loads only for help, subcommands and mistakes)'}.`,
    },
  ];
}
