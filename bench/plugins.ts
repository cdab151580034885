import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import type { Lab } from './lab.js';
import { cli, interleaved, log, RUNS, spread, summarize, timed } from './util.js';
import { ratio, type Row } from './table.js';

const DIR = '/usr/lib/nagios/plugins';
const NEEDED = ['check_ping', 'check_ntp_time', 'check_tcp'];
/** Debian's package holding all three (check_ping also needs `ping`, which the lab has already). */
const PACKAGE = 'monitoring-plugins-basic';
const INSTALL = `apt-get install -y ${PACKAGE}`;
const POLICY = '/usr/sbin/policy-rc.d';

const missingPlugins = () => NEEDED.filter((p) => !existsSync(`${DIR}/${p}`));

/**
 * Installs monitoring-plugins-basic when a plugin is missing and we are root, as .ci/run installs
 * its packages: noninteractive, with a policy-rc.d that keeps package scripts from starting
 * daemons (removed again if we put it there). Returns what is still missing and why.
 */
function ensurePlugins(): { missing: string[]; why?: string } {
  let missing = missingPlugins();
  if (!missing.length) return { missing };
  if (process.getuid?.() !== 0) return { missing, why: `not root, so not installed: run \`${INSTALL}\` as root` };
  log(`plugins: ${missing.join(', ')} missing in ${DIR}; ${INSTALL}`);
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) {
    writeFileSync(POLICY, '#!/bin/sh\nexit 101\n');
    chmodSync(POLICY, 0o755);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', PACKAGE], { env, stdio: 'pipe', timeout: 300_000 });
    } catch {
      // A fresh machine has no package lists yet.
      execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'pipe', timeout: 300_000 });
      execFileSync('apt-get', ['install', '-y', '-qq', PACKAGE], { env, stdio: 'pipe', timeout: 300_000 });
    }
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    return { missing: missingPlugins(), why: `\`${INSTALL}\` failed: ${(e.stderr?.toString() || e.message).trim().split('\n').pop()}` };
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
  missing = missingPlugins();
  return missing.length ? { missing, why: `still missing after \`${INSTALL}\`` } : { missing };
}

/**
 * The way an admin gathers the network facts without this tool: monitoring-plugins' check_ping,
 * check_ntp_time and check_tcp, one after another, against the same targets, vs our full run.
 */
export async function plugins(lab: Lab): Promise<Row[]> {
  const measurement = 'monitoring-plugins sequence vs our full run';
  const { missing, why } = ensurePlugins();
  if (missing.length) {
    return [
      {
        measurement,
        ours: '—',
        comparedWith: `not installed (${INSTALL})`,
        ratio: '—',
        target: 'info',
        result: 'ERROR',
        note: `missing in ${DIR}: ${missing.join(', ')}; ${why ?? ''}`,
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
