import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { parseCommented } from '../../src/migrate/render.js';
import { runCli } from '../helpers/cli.js';
import { confText } from '../helpers/dhcpd-confs.js';
import { freePort } from '../helpers/kea.js';
import { KEA_HOOKS_DIR, keaRoot, startKeaServers, type Dhcp4Config, type KeaVersion } from '../helpers/kea-multi.js';

// Issue 25 on real servers: the dhcpd failover confs the dhcpd tests run go through real keama
// (Debian 13's isc-dhcp-keama, in the kea-2.6 chroot that test/helpers/build-kea-chroots.sh builds),
// `migrate --merge` adds the HA section, and the two resulting Kea servers start and reach their HA
// state on Kea 2.6.3 and 3.0.4: a hot-standby-like pair (split 256) and a load-balanced one (split 128).

const ROOT26 = keaRoot('2.6');
const work = join(ROOT26, 'tmp', `dfc${process.pid}-migrate`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

// The dhcpd tests' pair, with a host and an option that reach clients, and a shorter
// max-response-delay so the Kea pairs reach their state in seconds (heartbeat-delay = a third).
const extra = '  option routers 10.99.0.1;\n';
const host = 'host printer { hardware ethernet 00:11:22:33:44:55; fixed-address 10.99.0.5; }\n';
function confs(split: number): [string, string] {
  const tuning = `  mclt 600;\n  split ${split};\n  load balance max seconds 3;\n  max-unacked-updates 10;\n`;
  const subnets = `subnet 10.99.0.0 netmask 255.255.255.0 {\n${extra}  pool {\n    failover peer "dhcp-failover";\n    range 10.99.0.100 10.99.0.200;\n  }\n}\n${host}`;
  const fix = (t: string) => t.replace('max-response-delay 60;', 'max-response-delay 6;');
  return [fix(confText('primary', { tuning, subnets })), fix(confText('secondary', { subnets }))];
}

/** keama -4 inside the trixie chroot; its output file (it exits non-zero for "ignoring failover"). */
function keama(name: string, text: string): { json: string; said: string } {
  writeFileSync(join(work, `${name}.conf`), text);
  const inner = `/tmp/${work.split('/').pop()}`;
  const r = spawnSync(
    'chroot',
    [ROOT26, '/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin', 'keama', '-4', '-i', `${inner}/${name}.conf`, '-o', `${inner}/${name}.keama.json`],
    { encoding: 'utf8', timeout: 20000 },
  );
  if (r.error) throw r.error;
  return { json: join(work, `${name}.keama.json`), said: `${r.stdout}${r.stderr}` };
}

const HELPERS = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers');

/**
 * Two network namespaces of this test's own: S holds the Kea pair (HA over its loopback, DHCP on
 * vS1 10.99.0.1/24 and vS2 10.99.0.2/24), C the client (br0 10.99.0.250/24, bridging vC1 and vC2).
 */
function twoNamespaces(): { s: string; c: string; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-migrate-ns-'));
  const s = join(dir, 'S');
  const c = join(dir, 'C');
  const close = () => {
    for (const f of [s, c]) spawnSync('umount', [f]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const f of [s, c]) {
      writeFileSync(f, '');
      execFileSync('unshare', [`--net=${f}`, 'true']);
    }
    const inS = (...a: string[]) => execFileSync('nsenter', [`--net=${s}`, ...a], { stdio: 'pipe' });
    const inC = (...a: string[]) => execFileSync('nsenter', [`--net=${c}`, ...a], { stdio: 'pipe' });
    // Two Kea servers cannot share one interface (each binds a fallback UDP socket to its address):
    // server1 on vS1 (10.99.0.1), server2 on vS2 (10.99.0.2), both joined to the client by a bridge in C.
    inS('ip', 'link', 'set', 'lo', 'up');
    inC('ip', 'link', 'set', 'lo', 'up');
    inC('ip', 'link', 'add', 'br0', 'type', 'bridge');
    for (const i of ['1', '2']) {
      inS('ip', 'link', 'add', `vS${i}`, 'type', 'veth', 'peer', 'name', `vC${i}`);
      inS('ip', 'addr', 'add', `10.99.0.${i}/24`, 'dev', `vS${i}`);
      inS('ip', 'link', 'set', `vS${i}`, 'up');
      inS('ip', 'link', 'set', `vC${i}`, 'netns', c);
      inC('ip', 'link', 'set', `vC${i}`, 'master', 'br0');
      inC('ip', 'link', 'set', `vC${i}`, 'up');
    }
    inC('ip', 'addr', 'add', '10.99.0.250/24', 'dev', 'br0');
    inC('ip', 'link', 'set', 'br0', 'up');
    // 255.255.255.255 needs a route to leave by.
    inC('ip', 'route', 'add', 'default', 'dev', 'br0');
  } catch (err) {
    close();
    throw err;
  }
  return { s, c, close };
}

const HARNESS_KEYS = ['control-socket', 'control-sockets', 'lease-database', 'loggers'];

for (const [variant, split, state] of [
  ['hot-standby-like (split 256)', 256, 'hot-standby'],
  ['load-balanced (split 128)', 128, 'load-balancing'],
] as const) {
  describe(`migrate on real servers: a ${variant} dhcpd pair through keama and migrate --merge`, () => {
    const outDir = join(work, `out-${split}`);
    let merged: [Dhcp4Config, Dhcp4Config] | undefined;
    let haPort = 0;

    it('keama translates each conf (and says it ignores failover); migrate merges the HA section; kea-dhcp4 -t (2.6, 3.0) accepts the files; --to finds nothing lost', async () => {
      const [p, s] = confs(split);
      // dhcpd itself accepts both confs (the old pair was a working one).
      for (const [name, text] of [
        [`primary-${split}`, p],
        [`secondary-${split}`, s],
      ] as const) {
        writeFileSync(join(work, `${name}.conf`), text);
        const t = spawnSync('dhcpd', ['-t', '-cf', join(work, `${name}.conf`)], { encoding: 'utf8', timeout: 20000 });
        assert.equal(t.status, 0, `dhcpd -t ${name}.conf: ${t.stderr}`);
      }
      const kp = keama(`primary-${split}`, p);
      const ks = keama(`secondary-${split}`, s);
      assert.match(kp.said, /ignoring failover/);
      haPort = await freePort('127.0.0.1');
      const run = await runCli([
        'migrate',
        '--from',
        `dhcpd:${join(work, `primary-${split}.conf`)},dhcpd:${join(work, `secondary-${split}.conf`)}`,
        '--names',
        'server1,server2',
        '--ha-port',
        String(haPort),
        '--hooks-dir',
        KEA_HOOKS_DIR,
        '--merge',
        `${kp.json},${ks.json}`,
        '--out-dir',
        outDir,
      ]);
      assert.equal(run.code, 0, run.stderr);
      merged = (['server1', 'server2'] as const).map(
        (n) => (parseCommented(readFileSync(join(outDir, `${n}.json`), 'utf8'), n) as { Dhcp4: Dhcp4Config }).Dhcp4,
      ) as [Dhcp4Config, Dhcp4Config];
      // The files as written, `//` comments and all, pass kea-dhcp4 -t of both releases.
      for (const version of ['2.6', '3.0'] as KeaVersion[]) {
        const root = keaRoot(version);
        const inner = `/tmp/dfc${process.pid}-migrate-t-${split}`;
        mkdirSync(join(root, inner), { recursive: true });
        try {
          for (const n of ['server1', 'server2']) {
            writeFileSync(join(root, inner, `${n}.json`), readFileSync(join(outDir, `${n}.json`)));
            const t = spawnSync(
              'chroot',
              [
                root,
                '/usr/bin/env',
                '-i',
                'PATH=/usr/sbin:/usr/bin',
                `KEA_PIDFILE_DIR=${inner}`,
                `KEA_LOCKFILE_DIR=${inner}`,
                'kea-dhcp4',
                '-t',
                `${inner}/${n}.json`,
              ],
              { encoding: 'utf8', timeout: 20000 },
            );
            assert.equal(t.status, 0, `Kea ${version} kea-dhcp4 -t ${n}.json: ${t.stdout}${t.stderr}`);
          }
        } finally {
          rmSync(join(root, inner), { recursive: true, force: true });
        }
      }
      const check = await runCli([
        'migrate',
        '--from',
        `dhcpd:${join(work, `primary-${split}.conf`)},dhcpd:${join(work, `secondary-${split}.conf`)}`,
        '--names',
        'server1,server2',
        '--to',
        `kea-config:${join(outDir, 'server1.json')},kea-config:${join(outDir, 'server2.json')}`,
      ]);
      assert.equal(check.code, 0, check.stderr);
    });

    it('in a network namespace, a DHCPDISCOVER from a client gets an offer from the migrated pool (Kea 2.6)', async (t) => {
      assert.ok(merged, 'the merge step ran');
      const ns = twoNamespaces();
      const maps = merged.map((m, i) => {
        const d = structuredClone(m);
        for (const k of HARNESS_KEYS) delete d[k];
        const f = join(work, `netns-${split}-${i}.json`);
        writeFileSync(f, JSON.stringify(d));
        return f;
      });
      const pair = spawn('nsenter', [`--net=${ns.s}`, process.execPath, join(HELPERS, 'kea-pair-in-netns.js'), '2.6', maps[0]!, maps[1]!, state, 'vS1,vS2'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      pair.stdout.on('data', (d: Buffer) => (out += d.toString()));
      pair.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const ended = new Promise<void>((resolve) => pair.on('close', () => resolve()));
      try {
        const t0 = Date.now();
        while (!/^(READY|FAILED)/m.test(out) && Date.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 200));
        assert.match(out, /^READY /m, out);
        const offers = [];
        for (const mac of ['02:00:00:00:99:01', '02:00:00:00:99:02', '02:00:00:00:99:03', '02:00:00:00:99:04']) {
          const c = spawnSync('nsenter', [`--net=${ns.c}`, process.execPath, join(HELPERS, 'dhcp-discover.js'), mac, '10000'], {
            encoding: 'utf8',
            timeout: 20000,
          });
          if (c.status !== 0) {
            pair.stdin.end();
            await ended;
          }
          assert.equal(c.status, 0, `client ${mac}: ${c.stderr}\n${out}`);
          const offer = JSON.parse(c.stdout) as { yiaddr: string; serverId: string };
          const last = Number(offer.yiaddr.split('.')[3]);
          assert.ok(offer.yiaddr.startsWith('10.99.0.') && last >= 100 && last <= 200, `offer ${offer.yiaddr} is in the migrated pool`);
          offers.push(`${mac} → ${offer.yiaddr} from ${offer.serverId}`);
        }
        t.diagnostic(`${variant}: offers ${offers.join(', ')}`);
      } finally {
        pair.stdin.end();
        await ended;
        ns.close();
      }
    });

    for (const version of ['2.6', '3.0'] as KeaVersion[]) {
      it(`the two Kea ${version} servers start and reach ${state}`, async (t) => {
        assert.ok(merged, 'the merge step ran');
        const servers = await startKeaServers({
          version,
          servers: (['server1', 'server2'] as const).map((name, i) => {
            const d = structuredClone(merged![i]!);
            for (const k of HARNESS_KEYS) delete d[k];
            return { name, host: `127.0.0.${i + 1}`, dhcp4: d };
          }),
        });
        try {
          const waited = await Promise.all(['server1', 'server2'].map((n) => servers.waitForHaState(n, state, 30000)));
          const states = await Promise.all(servers.servers.map((s) => s.haStates()));
          t.diagnostic(
            `Kea ${version} ${variant}: ${servers.servers.map((s, i) => `${s.name} ${states[i]!.join(',')}`).join(', ')} after ${Math.max(...waited)} ms`,
          );
          assert.deepEqual(states, [[state], [state]]);
        } finally {
          await servers.stop();
        }
      });
    }
  });
}
