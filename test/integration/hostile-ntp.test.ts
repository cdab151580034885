import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startHostileNtp, type HostileNtp, type NtpBehaviour } from '../helpers/hostile-ntp.js';
import { assertHostile, runJson, TIMEOUT_ARGS } from '../helpers/hostile-run.js';

// Hostile NTP peers on loopback, through the built CLI: the time check ends `unknown` with the
// cause in its details, the run exits 3 within --timeout + 1 s, and dns/ip/version keep the
// statuses they have against an honest server.

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/cli/${name}`, import.meta.url)).replace('/dist/test/', '/test/');
const BASE = [
  '127.0.0.2',
  '--only',
  'dns,ip,version,time',
  '--local-source',
  `inventory:${fixture('local.yaml')}`,
  '--partner-source',
  `inventory:${fixture('partner-good.yaml')}`,
  ...TIMEOUT_ARGS,
];

const CASES: { behaviour: NtpBehaviour; title: string; cause: RegExp }[] = [
  { behaviour: 'silent', title: 'no reply', cause: /no valid reply within 2000 ms/ },
  { behaviour: 'short', title: 'a 47-byte packet', cause: /no valid reply within 2000 ms \(ignored 1 reply shorter than 48 bytes\)/ },
  { behaviour: 'oversized', title: 'a 4096-byte packet', cause: /ignored 1 reply longer than 1024 bytes/ },
  // The socket is connected: the kernel drops datagrams from anywhere else, so nothing is "ignored".
  { behaviour: 'other-port', title: 'a reply from another port', cause: /no valid reply within 2000 ms/ },
  { behaviour: 'other-address', title: 'a reply from another address (127.0.0.3)', cause: /no valid reply within 2000 ms/ },
  { behaviour: 'wrong-origin', title: 'a wrong origin timestamp (spoofed, one hour ahead)', cause: /ignored 1 reply with a wrong origin timestamp/ },
  { behaviour: 'leap-3', title: 'LI=3 (alarm: unsynchronised)', cause: /not synchronized \(leap indicator 3, stratum 2\)/ },
  { behaviour: 'stratum-0', title: 'stratum 0 (unspecified)', cause: /not synchronized \(leap indicator 0, stratum 0\)/ },
  { behaviour: 'stratum-16', title: 'stratum 16 (unsynchronised)', cause: /not synchronized \(leap indicator 0, stratum 16\)/ },
  { behaviour: 'kod-rate', title: "kiss-o'-death RATE", cause: /kiss-o-death RATE \(the server asks us to poll less often\)/ },
  { behaviour: 'kod-deny', title: "kiss-o'-death DENY", cause: /kiss-o-death DENY \(the server denies us access\)/ },
];

describe('hostile NTP peers (--partner-ntp on 127.0.0.1)', () => {
  let baseline: Record<string, string>;
  const servers: HostileNtp[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  before(async () => {
    const honest = await startHostileNtp('honest');
    servers.push(honest);
    const r = await runJson([...BASE, '--partner-ntp', honest.endpoint]);
    baseline = r.statuses;
    assert.equal(r.by('time').status, 'pass', JSON.stringify(r.by('time')));
    assert.deepEqual(
      { dns: baseline.dns, ip: baseline.ip, version: baseline.version },
      { dns: 'pass', ip: 'warn', version: 'pass' },
      'the baseline itself is not what these tests assume',
    );
    assert.equal(r.run.code, 0);
  });

  for (const c of CASES) {
    test(`${c.title}: time unknown with the cause, exit 3, within 3 s, other checks undisturbed`, async () => {
      const server = await startHostileNtp(c.behaviour);
      servers.push(server);
      const r = await runJson([...BASE, '--partner-ntp', server.endpoint]);
      assert.ok(server.requests >= 1, 'the hostile server was never asked');
      assertHostile(r, { id: 'time', status: 'unknown', cause: c.cause, code: 3, baseline });
      const partner = String(r.by('time').details.partner);
      assert.ok(partner.includes(server.endpoint), `details name the endpoint: ${partner}`);
    });
  }

  test('no NTP server at all (ICMP port unreachable): unknown, "connection refused", well within the timeout', async () => {
    const server = await startHostileNtp('silent');
    const endpoint = server.endpoint;
    await server.close();
    const r = await runJson([...BASE, '--partner-ntp', endpoint]);
    assertHostile(r, { id: 'time', status: 'unknown', cause: /connection refused/, code: 3, baseline, boundMs: 2000 });
  });
});
