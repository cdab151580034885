import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { reply, startFakeNtp, type FakeNtp } from '../helpers/fake-ntp.js';
import { confText } from '../helpers/dhcpd-confs.js';
import { messages } from '../../src/checks/messages.js';

// Issue 18's cases, each through the built CLI: the verdict Microsoft or ISC documents, whatever
// the sources, options and phase. Servers: a fake NTP on loopback; nothing else listens.

const root = new URL('../../../', import.meta.url).pathname;
const EX = join(root, 'examples');
const KEA1 = `kea-config:${EX}/kea/dhcp1-kea-dhcp4.conf`;
const KEA2 = `kea-config:${EX}/kea/dhcp2-kea-dhcp4.conf`;

type Json = { exitCode: number; phase: string; checks: { id: string; status: string; code: string; message: string; details: Record<string, unknown> }[] };
const json = (stdout: string) => JSON.parse(stdout) as Json;
const check = (r: Json, id: string) => r.checks.find((c) => c.id === id)!;

function windowsBundle(role: 'local' | 'partner', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = JSON.parse(readFileSync(`${EX}/${role}.json`, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
  delete base.Parameters;
  base.Failover = [];
  if (role === 'partner') base.Scopes = [];
  base.Identity = { User: 'CORP\\admin', IsDhcpAdministrator: true };
  base.NetIPAddress = [
    { IPAddress: role === 'local' ? '127.0.0.1' : '127.0.0.2', InterfaceAlias: 'Ethernet', PrefixLength: 8, PrefixOrigin: 'Manual', AddressFamily: 2 },
  ];
  return { ...base, ...extra };
}

describe('READY must mean ready, whatever the sources (issue 18)', () => {
  let dir: string;
  let ahead300: FakeNtp;
  let sameClock: FakeNtp;
  const file = (name: string, data: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
    return p;
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ready-'));
    ahead300 = await startFakeNtp((req) => [reply(req, { shiftMs: 300_000 })]);
    sameClock = await startFakeNtp((req) => [reply(req)]);
  });
  after(async () => {
    await ahead300?.close();
    await sameClock?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a flag does not lift Windows' limit: no DhcpMsgSyncDeltaTime, 300 s apart, --max-time-skew 10m fails at the 1-minute default", async () => {
    const local = file('w-local.json', windowsBundle('local'));
    const partner = file('w-partner.json', windowsBundle('partner'));
    const args = [
      '127.0.0.2',
      '--local-source',
      `windows-json:${local}`,
      '--partner-source',
      `windows-json:${partner}`,
      '--partner-ntp',
      `${ahead300.host}:${ahead300.port}`,
      '--max-time-skew',
      '10m',
      '--only',
      'time',
    ];
    const run = await runCli([...args, '--format', 'json']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const t = check(json(run.stdout), 'time');
    assert.equal(t.status, 'fail');
    assert.equal(t.message, messages.time('1'));
    const human = await runCli(args);
    assert.match(human.stdout, /limit 60 s: Windows default, lower than --max-time-skew 10m/);
  });

  test('mixed platforms fail version whatever the source kinds: windows-json + kea-config, dhcpd + kea-config', async () => {
    const local = file('w-local2.json', windowsBundle('local'));
    const dhcpd = file('primary.conf', confText('primary'));
    for (const localSource of [`windows-json:${local}`, `dhcpd:${dhcpd}`]) {
      const run = await runCli([
        '127.0.0.2',
        '--local-source',
        localSource,
        '--partner-source',
        KEA2,
        '--partner-ntp',
        `${sameClock.host}:${sameClock.port}`,
        '--timeout',
        '1s',
        '--format',
        'json',
      ]);
      assert.equal(run.code, 1, localSource);
      const v = check(json(run.stdout), 'version');
      assert.equal(v.code, 'version.mixed-platforms', localSource);
      assert.equal(v.message, messages.version());
    }
  });

  test('two Kea configuration files of a valid pair: READY TO DEPLOY, exit 0; --phase live: unknown, exit 3, and no SMB2 or --ldap advice', async () => {
    const run = await runCli(['127.0.0.2', '--local-source', KEA1, '--partner-source', KEA2, '--timeout', '1s']);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^READY TO DEPLOY/m);
    const j = json((await runCli(['127.0.0.2', '--local-source', KEA1, '--partner-source', KEA2, '--timeout', '1s', '--format', 'json'])).stdout);
    assert.equal(j.phase, 'before-deploy');
    for (const id of ['version', 'permissions', 'service', 'reachability', 'time']) assert.equal(check(j, id).code, `${id}.before-deploy`, id);
    const live = await runCli(['127.0.0.2', '--local-source', KEA1, '--partner-source', KEA2, '--timeout', '1s', '--phase', 'live']);
    assert.equal(live.code, 3, live.stdout);
    assert.match(live.stdout, /^NOT READY/m);
    assert.doesNotMatch(live.stdout, /SMB2|TCP 445|--ldap/);
  });

  test('identity: the same bundle on both sides fails; a partner bundle of another machine warns, naming both', async () => {
    const local = file('w-local3.json', windowsBundle('local'));
    const same = await runCli([
      '127.0.0.2',
      '--local-source',
      `windows-json:${local}`,
      '--partner-source',
      `windows-json:${local}`,
      '--only',
      'identity',
      '--format',
      'json',
    ]);
    assert.equal(same.code, 1);
    assert.equal(check(json(same.stdout), 'identity').code, 'identity.same-server');
    const other = file('w-other.json', windowsBundle('partner', { NetIPAddress: [{ IPAddress: '10.9.9.9', PrefixOrigin: 'Manual', AddressFamily: 2 }] }));
    const mismatch = await runCli(['127.0.0.2', '--local-source', `windows-json:${local}`, '--partner-source', `windows-json:${other}`, '--only', 'identity']);
    assert.equal(mismatch.code, 0);
    assert.match(mismatch.stdout, /127\.0\.0\.2 is not among the addresses .* 10\.9\.9\.9/);
  });

  test('IPv6: a Windows or dhcpd pair fails ip with the documented message; a Kea pair probes ::1; [::1]:8000 gets the host:port hint', async () => {
    const local = file('w-local4.json', windowsBundle('local'));
    const win = await runCli(['::1', '--local-source', `windows-json:${local}`, '--only', 'ip', '--format', 'json']);
    assert.equal(win.code, 1);
    assert.equal(check(json(win.stdout), 'ip').message, messages.ip('::1'));
    const dhcpd = file('primary6.conf', confText('primary'));
    const d = await runCli(['::1', '--local-source', `dhcpd:${dhcpd}`, '--only', 'ip', '--format', 'json']);
    assert.equal(check(json(d.stdout), 'ip').status, 'fail');
    const kea = await runCli([
      '::1',
      '--local-source',
      KEA1,
      '--partner-source',
      KEA2,
      '--only',
      'dns,ip,reachability',
      '--timeout',
      '1s',
      '--format',
      'json',
      '--phase',
      'live',
    ]);
    const k = json(kea.stdout);
    assert.equal(check(k, 'ip').code, 'ip.lab-address');
    assert.equal(check(k, 'dns').status, 'pass');
    assert.equal(check(k, 'reachability').details.address, '::1');
    const hint = await runCli(['[::1]:8000']);
    assert.equal(hint.code, 2);
    assert.match(hint.stderr, /names a port; give the host alone \("::1"\) and the port with --failover-port 8000/);
  });

  test('kea-config local, unreachable kea: partner: reachability probes the HA URL port the local file names; peers unknown, not "not applicable"', async () => {
    const run = await runCli([
      '127.0.0.2',
      '--local-source',
      KEA1,
      '--partner-source',
      'kea:http://127.0.0.2:1/',
      '--only',
      'reachability,peers',
      '--timeout',
      '1s',
      '--format',
      'json',
    ]);
    const r = json(run.stdout);
    assert.equal(check(r, 'reachability').details.port, 8001);
    assert.equal(check(r, 'peers').code, 'peers.source-unread');
  });

  test('a failing --ldap shows in the human report (a line beside a bundle that answered, unknown where it was the only source); --ignore covers unknown too', async () => {
    const local = file('w-local5.json', windowsBundle('local'));
    const partner = file('w-partner5.json', windowsBundle('partner'));
    const ldap = ['--only', 'version,authorization', '--ldap', 'ldap://127.0.0.1:1', '--timeout', '1s'];
    const beside = await runCli(['127.0.0.2', '--local-source', `windows-json:${local}`, '--partner-source', `windows-json:${partner}`, ...ldap]);
    assert.equal(beside.code, 0, beside.stdout);
    assert.match(beside.stdout, /· directory: /);
    const bare = { Setting: undefined };
    const lonely = [file('w-local6.json', windowsBundle('local', bare)), file('w-partner6.json', windowsBundle('partner', bare))];
    const args = ['127.0.0.2', '--local-source', `windows-json:${lonely[0]}`, '--partner-source', `windows-json:${lonely[1]}`, ...ldap];
    const only = await runCli(args);
    assert.equal(only.code, 3, only.stdout);
    assert.match(only.stdout, /\? authorization[\s\S]*· directory: /);
    const ignored = await runCli([...args, '--ignore', 'authorization']);
    assert.equal(ignored.code, 0, ignored.stdout);
    assert.match(ignored.stdout, /authorization .*\(ignored\)/);
  });
});
