import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haConfigFindings } from '../../src/platforms/kea/ha-rules.js';
import { readKeaConfigFile } from '../../src/sources/kea/config-file.js';
import { readHaRelationships } from '../../src/sources/kea/ha-config.js';
import { CASES, HEALTHY, VERSIONS, type HaCase, type Ports, type Version } from '../helpers/kea-ha-cases.js';
import { freePort } from '../helpers/kea.js';

// Each HA rule row is written into a real kea-dhcp4 configuration and the real kea-dhcp4 is
// started on it (`-t` does not run the HA hook's load(), so it cannot judge HA): Kea must refuse
// it with exactly the words our rules give first, and accept the healthy ones. Kea 2.2 on this
// machine always; Kea 2.6 and 3.0 from their chroots when those are built. The same targets
// cross-check what our file reader accepts against `kea-dhcp4 -t`.

const HOOKS = '/usr/lib/x86_64-linux-gnu/kea/hooks';
const CACHE = '/var/cache/dhcp-failover-check';
const EXIT_WITHIN_MS = 15_000;
const MAX_OUTPUT = 1024 * 1024;
const REFUSAL = /HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: (.*)/;

interface Target {
  label: string;
  version: Version;
  /** Chroot root; absent: this machine. */
  root?: string;
}

const targets: Target[] = [{ label: '2.2 (host)', version: VERSIONS['2.2']! }];
for (const [label, dir] of [
  ['2.6', 'kea-2.6'],
  ['3.0', 'kea-3.0'],
] as const) {
  if (existsSync(join(CACHE, dir, '.complete'))) targets.push({ label: `${label} (chroot)`, version: VERSIONS[label]!, root: join(CACHE, dir) });
}

/** A private folder Kea can see: under the chroot's /tmp for a chroot target. */
function workDir(t: Target): { outer: string; inner: string } {
  const base = t.root ? join(t.root, 'tmp') : tmpdir();
  const outer = mkdtempSync(join(base, 'kea-verdict-'));
  return { outer, inner: t.root ? `/tmp/${basename(outer)}` : outer };
}

function dhcp4Config(t: Target, inner: string, ha: unknown[]): unknown {
  // 2.6.3 and 3.0 allow unix sockets only under /run/kea and leases only under /var/lib/kea.
  const socket = t.root ? `/run/kea/${basename(inner)}.sock` : `${inner}/kea4.sock`;
  return {
    Dhcp4: {
      'interfaces-config': { interfaces: [] },
      'control-socket': { 'socket-type': 'unix', 'socket-name': socket },
      'lease-database': t.root ? { type: 'memfile', persist: false } : { type: 'memfile', persist: true, name: `${inner}/leases4.csv`, 'lfc-interval': 0 },
      'hooks-libraries': [{ library: `${HOOKS}/libdhcp_lease_cmds.so` }, { library: `${HOOKS}/libdhcp_ha.so`, parameters: { 'high-availability': ha } }],
      loggers: [{ name: 'kea-dhcp4', severity: 'INFO', output_options: [{ output: 'stdout' }] }],
    },
  };
}

interface Verdict {
  /** Kea's HA refusal text, if it printed one. */
  refusal?: string;
  started: boolean;
  exit: number | null;
  output: string;
}

/** Starts kea-dhcp4 on `config`; resolves when it exits or reports started (then stops it by PID). */
function runKea(t: Target, build: (inner: string) => unknown): Promise<Verdict> {
  const { outer, inner } = workDir(t);
  writeFileSync(join(outer, 'dhcp4.json'), JSON.stringify(build(inner), null, 2));
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', KEA_PIDFILE_DIR: inner, KEA_LOCKFILE_DIR: inner };
  const [cmd, args] = t.root
    ? ['chroot', [t.root, '/usr/bin/env', '-i', `PATH=${env.PATH}`, `KEA_PIDFILE_DIR=${inner}`, `KEA_LOCKFILE_DIR=${inner}`, 'kea-dhcp4', '-c', `${inner}/dhcp4.json`]]
    : ['kea-dhcp4', ['-c', `${inner}/dhcp4.json`]];
  // chroot and env exec: the PID is kea-dhcp4's own.
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const take = (b: Buffer) => {
    if (output.length < MAX_OUTPUT) output += b.toString('utf8').slice(0, MAX_OUTPUT - output.length);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise<Verdict>((resolve, reject) => {
    let started = false;
    const stop = (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, signal);
    };
    const watch = setInterval(() => {
      if (!started && /DHCP4_STARTED/.test(output)) {
        started = true;
        stop('SIGTERM');
        setTimeout(() => stop('SIGKILL'), 3000).unref();
      }
    }, 20);
    const bound = setTimeout(() => {
      stop('SIGKILL');
      reject(new Error(`kea-dhcp4 ${t.label} neither exited nor started within ${EXIT_WITHIN_MS} ms:\n${output.slice(-2000)}`));
    }, EXIT_WITHIN_MS);
    child.once('error', (err) => {
      clearInterval(watch);
      clearTimeout(bound);
      reject(err);
    });
    child.once('close', (code) => {
      clearInterval(watch);
      clearTimeout(bound);
      rmSync(outer, { recursive: true, force: true });
      const m = REFUSAL.exec(output);
      resolve({ ...(m ? { refusal: m[1]!.trimEnd() } : {}), started: started || /DHCP4_STARTED/.test(output), exit: code, output });
    });
  });
}

function ours(ha: unknown[], version: Version): string[] {
  return haConfigFindings(readHaRelationships(ha, []), { version }).map((f) => f.message);
}

for (const t of targets) {
  describe(`real kea-dhcp4 ${t.label} judges each HA rule row as our rules do`, () => {
    let ports: Ports;
    before(async () => {
      ports = { p1: await freePort('127.0.0.1'), p3: await freePort('127.0.0.3') };
    });

    const check = async (c: HaCase) => {
      const ha = c.ha(ports);
      const want = c.expect(t.version, ports);
      const v = await runKea(t, (inner) => dhcp4Config(t, inner, ha));
      const found = ours(ha, t.version);
      if (want === null) {
        assert.equal(v.refusal, undefined, `Kea refused: ${v.refusal}`);
        assert.ok(v.started, `Kea did not start (exit ${v.exit}):\n${v.output.slice(-1500)}`);
        assert.match(v.output, /HA_CONFIGURATION_SUCCESSFUL/);
        assert.deepEqual(found, []);
        return;
      }
      assert.ok(!v.started, 'Kea started on a configuration it should refuse');
      assert.notEqual(v.exit, 0);
      assert.ok(v.refusal !== undefined, `no HA refusal in Kea's output (exit ${v.exit}):\n${v.output.slice(-1500)}`);
      assert.equal(found[0], want);
      if (!c.oursOnly) assert.equal(v.refusal, want);
    };
    for (const c of HEALTHY) it(`accepts: ${c.rule}`, () => check(c));
    for (const c of CASES) it(c.rule, () => check(c));
  });
}
