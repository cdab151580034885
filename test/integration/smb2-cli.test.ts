import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startSmbd, type Smbd } from '../helpers/smbd.js';
import { startHostileTcp, type HostileTcp } from '../helpers/hostile-tcp.js';
import { ReportSchema } from '../../src/report/schema.js';

// A Windows member server serves no NTP: its clock is read from the SMB2 NEGOTIATE reply of a real
// Samba smbd whose clock libfaketime shifts. The partner address is one no NTP server here uses,
// so NTP at <partner>:123 is refused and SMB2 decides.

const TIME = (minutes: string) =>
  `The time difference between this server and the specified partner server is greater than the permissible value of ${minutes} minutes. ` +
  'It is recommended to ensure that both servers are time synchronized before configuring failover. ' +
  'You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';

const HOST = '127.0.0.61';
/** For the default port 445 (no --partner-smb): an address of its own, so no other smbd holds it. */
const HOST_445 = '127.0.0.62';

type Json = ReturnType<typeof ReportSchema.parse>;
const timeOf = (stdout: string) => {
  const r: Json = ReportSchema.parse(JSON.parse(stdout));
  const c = r.checks.find((x) => x.id === 'time');
  assert.ok(c, 'no time check');
  return c;
};
const partnerSource = (details: Record<string, unknown>) =>
  String(
    (details.partner as { source?: string } | string | undefined) && typeof details.partner === 'object'
      ? (details.partner as { source: string }).source
      : details.partner,
  );

/** An SMB2 peer that answers with `reply` (then holds the connection), for hostile replies. */
async function hostileSmb(reply: (s: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => reply(s));
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('the time check over SMB2 against a real smbd', () => {
  let plus5m: Smbd;
  let plus20s: Smbd;
  let dir: string;
  const files: Record<string, string> = {};
  before(async () => {
    [plus5m, plus20s] = await Promise.all([startSmbd({ shift: '+5m', address: HOST }), startSmbd({ shift: '+20s', address: HOST })]);
    dir = mkdtempSync(join(tmpdir(), 'smb2-cli-'));
    const write = (name: string, text: string) => writeFileSync((files[name] = join(dir, name)), text);
    write(
      'partner-30s.json',
      JSON.stringify({ ComputerName: 'DHCP2', Version: { MajorVersion: 10, MinorVersion: 0 }, Parameters: { DhcpMsgSyncDeltaTime: 30 } }),
    );
    write('partner-30s.yaml', 'platform: windows\nname: DHCP2\nmaxClockSkew: 30s\n');
    write('partner.json', JSON.stringify({ ComputerName: 'DHCP2', Version: { MajorVersion: 10, MinorVersion: 0 } }));
  });
  after(async () => {
    await Promise.all([plus5m?.stop(), plus20s?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('+5 min fails with the exact documented message, measured by SMB2 within its error bound', async (t) => {
    const run = await runCli([HOST, '--only', 'time', '--partner-smb', `${HOST}:${plus5m.port}`, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const time = timeOf(run.stdout);
    t.diagnostic(JSON.stringify(time.details));
    assert.equal(time.status, 'fail');
    assert.equal(time.code, 'time.skew-exceeded');
    assert.equal(time.message, TIME('1'));
    const diff = time.details.differenceMs as number;
    const bound = time.details.errorBoundMs as number;
    assert.ok(Math.abs(diff - 300_000) <= bound, `difference ${diff} ± ${bound}`);
    assert.ok(bound < 100, `error bound ${bound} ms`);
    assert.equal(time.details.windowsError, undefined, 'no source says the pair is Windows');
    assert.match(
      partnerSource(time.details),
      new RegExp(`^smb2 ${HOST}:${plus5m.port} \\(SMB 3\\.0\\.2 NEGOTIATE\\) \\(beside: NTP ${HOST.replace(/\./g, '\\.')}:123: `),
    );
  });

  test('+20 s passes', async () => {
    const run = await runCli([HOST, '--only', 'time', '--partner-smb', `${HOST}:${plus20s.port}`, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const time = timeOf(run.stdout);
    assert.equal(time.status, 'pass');
    assert.ok(Math.abs((time.details.differenceMs as number) - 20_000) <= (time.details.errorBoundMs as number), JSON.stringify(time.details));
    assert.match(partnerSource(time.details), /^smb2 /);
  });

  for (const name of ['partner-30s.json', 'partner-30s.yaml']) {
    test(`the partner's own limit of 30 s (${name.endsWith('json') ? 'windows-json DhcpMsgSyncDeltaTime' : 'inventory maxClockSkew'}) gives "0.5 minutes"`, async () => {
      const kind = name.endsWith('json') ? 'windows-json' : 'inventory';
      const run = await runCli([
        HOST,
        '--only',
        'time',
        '--partner-source',
        `${kind}:${files[name]}`,
        '--partner-smb',
        `${HOST}:${plus20s.port}`,
        '--max-time-skew',
        '10m',
        '--format',
        'json',
      ]);
      // +20 s is within 30 s: passes, limit from the partner's setting.
      assert.equal(run.code, 0, run.stderr);
      assert.equal(timeOf(run.stdout).details.limitSeconds, 30);
      const five = await runCli([
        HOST,
        '--only',
        'time',
        '--partner-source',
        `${kind}:${files[name]}`,
        '--partner-smb',
        `${HOST}:${plus5m.port}`,
        '--format',
        'json',
      ]);
      assert.equal(five.code, 1, five.stderr);
      const time = timeOf(five.stdout);
      assert.equal(time.message, TIME('0.5'));
      assert.equal(time.details.limitFrom, 'partner server setting');
      // A Windows pair: the Win32 error Add-DhcpServerv4Failover would return.
      assert.deepEqual(time.details.windowsError, { code: 20119, name: 'ERROR_DHCP_FO_TIME_OUT_OF_SYNC' });
    });
  }

  test('a Windows partner without NTP is asked at <address>:445 with no option at all', async () => {
    const smbd = await startSmbd({ shift: '+5m', address: HOST_445, port: 445 });
    try {
      const run = await runCli([HOST_445, '--only', 'time', '--partner-source', `windows-json:${files['partner.json']}`, '--format', 'json']);
      assert.equal(run.code, 1, run.stderr);
      const time = timeOf(run.stdout);
      assert.equal(time.message, TIME('1'));
      assert.match(partnerSource(time.details), new RegExp(`^smb2 ${HOST_445.replace(/\./g, '\\.')}:445 `));
      // Without a Windows source, a refused NTP still falls back to SMB2 at 445.
      const bare = await runCli([HOST_445, '--only', 'time', '--format', 'json']);
      assert.equal(bare.code, 1, bare.stderr);
      assert.match(partnerSource(timeOf(bare.stdout).details), /^smb2 .*:445 .*beside: NTP .*:123/);
    } finally {
      await smbd.stop();
    }
  });

  test('a silent SMB2 port is unknown, bounded by --timeout', async () => {
    const silent: HostileTcp = await startHostileTcp('hold', HOST);
    try {
      const run = await runCli([HOST, '--only', 'time', '--partner-smb', `${HOST}:${silent.port}`, '--timeout', '2s', '--format', 'json'], {
        timeoutMs: 20_000,
      });
      assert.equal(run.code, 3, run.stderr);
      assert.ok(run.wallMs < 2000 + 1500, `took ${run.wallMs} ms`);
      const time = timeOf(run.stdout);
      assert.equal(time.status, 'unknown');
      assert.equal(time.code, 'time.clock-unread');
      assert.match(partnerSource(time.details), new RegExp(`SMB2 ${HOST.replace(/\./g, '\\.')}:${silent.port}: no complete reply within 2000 ms`));
      assert.match(partnerSource(time.details), /NTP .*:123: /);
    } finally {
      await silent.close();
    }
  });

  const hostile: [string, (s: Socket) => void, RegExp][] = [
    ['a huge announced length', (s) => s.write(Buffer.from([0, 0xff, 0xff, 0xff])), /reply announces 16777215 bytes \(more than 65536\)/],
    ['wrong magic', (s) => s.write(Buffer.concat([Buffer.from([0, 0, 0, 128]), Buffer.alloc(128, 0x41)])), /not an SMB2 reply \(starts with 41414141/],
    ['a short reply, then silence', (s) => s.write(Buffer.from([0, 0, 0, 200, 0xfe, 0x53])), /no complete reply within 2000 ms .*got 6 of 204 bytes/],
  ];
  for (const [what, reply, expected] of hostile) {
    test(`a hostile SMB2 peer (${what}) is a clear unknown within --timeout`, async () => {
      const peer = await hostileSmb(reply);
      try {
        const run = await runCli([HOST, '--only', 'time', '--partner-smb', `${HOST}:${peer.port}`, '--timeout', '2s', '--format', 'json'], {
          timeoutMs: 20_000,
        });
        assert.equal(run.code, 3, run.stderr);
        assert.ok(run.wallMs < 2000 + 1500, `took ${run.wallMs} ms`);
        const time = timeOf(run.stdout);
        assert.equal(time.status, 'unknown');
        assert.match(partnerSource(time.details), expected);
      } finally {
        await peer.close();
      }
    });
  }
});
