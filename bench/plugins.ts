import { existsSync } from 'node:fs';
import type { Lab } from './lab.js';
import { cli, interleaved, RUNS, spread, summarize, timed } from './util.js';
import { ratio, type Row } from './table.js';

const DIR = '/usr/lib/nagios/plugins';
const NEEDED = ['check_ping', 'check_ntp_time', 'check_tcp'];

/**
 * The way an admin gathers the network facts without this tool: monitoring-plugins' check_ping,
 * check_ntp_time and check_tcp, one after another, against the same targets, vs our full run.
 */
export async function plugins(lab: Lab): Promise<Row[]> {
  const measurement = 'monitoring-plugins sequence vs our full run';
  const missing = NEEDED.filter((p) => !existsSync(`${DIR}/${p}`));
  if (missing.length) {
    return [
      {
        measurement,
        ours: '—',
        comparedWith: 'not installed (apt-get install monitoring-plugins)',
        ratio: '—',
        target: 'info',
        result: 'n/a',
        note: `missing in ${DIR}: ${missing.join(', ')}`,
      },
    ];
  }
  const commands = [
    [`${DIR}/check_ping`, '-H', lab.partner, '-w', '100,20%', '-c', '200,50%', '-p', '1'],
    [`${DIR}/check_ntp_time`, '-H', lab.ntp.host, '-p', String(lab.ntp.port)],
    [`${DIR}/check_tcp`, '-H', lab.partner, '-p', String(lab.failoverPort)],
  ];
  const each: number[][] = commands.map(() => []);
  const firstLines: string[] = [];
  const samples = await interleaved(RUNS, {
    plugins: async () => {
      const started = performance.now();
      for (const [i, argv] of commands.entries()) {
        const t = await timed(argv, { env: { LC_ALL: 'C' } });
        each[i]!.push(t.wallMs);
        if (firstLines.length < commands.length) firstLines.push(`${argv[0]!.split('/').pop()}: ${t.stdout.split('\n')[0]?.split('|')[0]?.trim()}`);
      }
      return performance.now() - started;
    },
    ours: async () => (await cli([...lab.args, '--format', 'json'], { env: lab.env })).wallMs,
  });
  const p = summarize(samples.plugins);
  const o = summarize(samples.ours);
  return [
    {
      measurement,
      ours: spread(o),
      comparedWith: `check_ping + check_ntp_time + check_tcp: ${spread(p)}`,
      ratio: ratio(o.median, p.median),
      target: 'info (< 1× = we are faster)',
      result: 'info',
      note:
        `ratio = ours / plugins. The plugins gather 3 of the 9 facts (ICMP, clock offset, TCP port); ` +
        `version, service, permissions, relationships and scopes would still need Kea API calls on top. ` +
        `Per plugin (median): ${NEEDED.map((n, i) => `${n} ${spread(summarize(each[i]!))}`).join(', ')}. ` +
        `Their verdicts in this lab: ${firstLines.join('; ')}.`,
    },
  ];
}
