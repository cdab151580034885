import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentNet, type SilentNet } from '../helpers/netns.js';
import { startHostileTcp, type HostileTcp } from '../helpers/hostile-tcp.js';
import { assertHostile, runJson, TIMEOUT_ARGS } from '../helpers/hostile-run.js';
import { tcpConnect } from '../../src/probes/tcp.js';
import { ProbeError } from '../../src/util/errors.js';

// Hostile TCP/ICMP peers for the reachability check, through the built CLI.
// - A failover port that resets on accept: the handshake completes, then an RST. The README
//   documents "only ICMP (or a TCP reset) answers: warn", so reachability warns, naming the reset
//   (ICMP to 127.0.0.2 answers); before the fix in src/probes/tcp.ts it passed ("port answers").
// - An address that never completes the handshake (the silent address of a private network
//   namespace, test/helpers/netns.ts): neither ICMP nor TCP answers, the documented failure.

const REACHABILITY = 'The specified DHCP server is not reachable. Please provide a DHCP server that is reachable.';

describe('hostile TCP peers (reachability)', () => {
  const servers: HostileTcp[] = [];
  let net: SilentNet | undefined;
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    net?.close();
  });
  const start = async (b: 'reset' | 'reset-late' | 'close' | 'hold') => {
    const s = await startHostileTcp(b);
    servers.push(s);
    return s;
  };
  const args = (port: number) => ['127.0.0.2', '--only', 'dns,ip,reachability', '--failover-port', String(port), ...TIMEOUT_ARGS];

  let baseline: Record<string, string>;
  before(async () => {
    const open = await start('hold');
    const r = await runJson(args(open.port));
    baseline = r.statuses;
    assert.equal(r.by('reachability').status, 'pass', JSON.stringify(r.by('reachability')));
    assert.deepEqual({ dns: baseline.dns, ip: baseline.ip }, { dns: 'pass', ip: 'warn' });
  });

  for (const b of ['reset', 'reset-late'] as const) {
    test(`RST on accept (${b === 'reset' ? 'at once' : '20 ms later'}): reachability warns (documented), the reset in details, exit 0, < 3 s, dns/ip undisturbed`, async () => {
      const s = await start(b);
      const r = await runJson(args(s.port));
      assert.ok(s.accepted >= 1, 'the resetting server never accepted');
      assertHostile(r, { id: 'reachability', status: 'warn', cause: /TCP 127\.0\.0\.2:\d+: connection reset/, code: 0, baseline });
      assert.match(String(r.by('reachability').fix), /Allow TCP \d+/);
    });
  }

  test('a graceful close on accept (FIN, not RST) still counts as a listening port: pass', async () => {
    const s = await start('close');
    const r = await runJson(args(s.port));
    assert.equal(r.by('reachability').status, 'pass', JSON.stringify(r.by('reachability')));
  });

  test('the probe itself: reset (at once or 20 ms after accept) -> ProbeError ECONNRESET, FIN -> open, well within the timeout', async () => {
    const closing = await start('close');
    const t0 = performance.now();
    for (const b of ['reset', 'reset-late'] as const) {
      const s = await start(b);
      // Before the fix, 'connect' settled the probe as "open" before a late RST could arrive.
      const err = await tcpConnect(s.host, s.port, 2000).then(
        (ok) => ok,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ProbeError, `${b}: expected a ProbeError, got ${JSON.stringify(err)}`);
      assert.equal(err.code, 'ECONNRESET');
    }
    const ok = await tcpConnect(closing.host, closing.port, 2000);
    assert.ok(ok.connectMs >= 0);
    assert.ok(performance.now() - t0 < 1000, `${Math.round(performance.now() - t0)} ms`);
  });

  test('an address that never completes the handshake (silent, in a network namespace): fail with the documented message, exit 1, < 3 s', async () => {
    net = createSilentNet();
    const base = [net.silentAddress, '--failover-port', '647', ...TIMEOUT_ARGS];
    const control = await runJson([...base, '--only', 'dns,ip'], { netns: net.netns });
    const r = await runJson([...base, '--only', 'dns,ip,reachability'], { netns: net.netns });
    assertHostile(r, { id: 'reachability', status: 'fail', cause: /no answer within 2000 ms \(filtered or host down\)/, code: 1, baseline: control.statuses });
    const c = r.by('reachability');
    assert.equal(c.message, REACHABILITY);
    assert.match(String(c.details.icmp), /no echo reply|no answer within/);
  });
});
