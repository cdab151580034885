// The dhcpd.conf parser against the real ISC dhcpd 4.4 (`dhcpd -t -cf`, Debian isc-dhcp-server):
// the confs the unit tests call valid, dhcpd accepts; the syntax-error rows, dhcpd refuses too;
// and the failover sanity errors the parser leaves to the platform, in dhcpd's own words.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDhcpdConf } from '../../src/sources/dhcpd/parse.js';
import { InputError } from '../../src/util/errors.js';

const DHCPD = '/usr/sbin/dhcpd';
const FX = 'test/fixtures/dhcpd';
const scratch = mkdtempSync(join(tmpdir(), 'dhcpd-t-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** dhcpd's lines without the banner, the echoed conf line and its caret. */
  lines: string[];
}

/**
 * `dhcpd -t` reads and checks the conf and exits: no interface, no socket, no lease file read.
 * It runs from the repository root, which is what relative includes in the fixtures assume.
 */
function dhcpdTest(conf: string): Run {
  const r = spawnSync(DHCPD, ['-4', '-t', '-cf', conf, '-lf', join(scratch, 'leases'), '-pf', join(scratch, 'pid')], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 15_000,
    maxBuffer: 1 << 20,
  });
  if (r.error) throw r.error;
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /line \d+:|^ERROR|^WARNING|^Can't|^Failover configuration|^bad range/.test(l));
  return { status: r.status, signal: r.signal, lines };
}

const confs = (dir: string): string[] =>
  readdirSync(`${FX}/${dir}`)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => `${FX}/${dir}/${f}`);

describe('dhcpd -t against the parser', () => {
  it('dhcpd is installed (a missing server is a failure, not a skip)', () => {
    assert.ok(existsSync(DHCPD), `${DHCPD} missing: apt-get install isc-dhcp-server`);
  });

  for (const conf of [...confs('valid'), `${FX}/split/main.conf`]) {
    it(`accepts ${conf}, and so does the parser`, () => {
      const run = dhcpdTest(conf);
      assert.equal(run.status, 0, run.lines.join('\n'));
      assert.ok(parseDhcpdConf(conf).failoverPeers.length > 0);
    });
  }

  for (const conf of confs('bad')) {
    it(`refuses ${conf}, and so does the parser`, () => {
      const run = dhcpdTest(conf);
      // An include loop crashes dhcpd 4.4 (it recurses until the stack runs out): also a refusal.
      assert.ok(run.status !== 0, `dhcpd accepted ${conf}`);
      assert.throws(() => parseDhcpdConf(conf), InputError);
    });
  }

  // dhcpd's verbatim words for the failover rules the parser leaves to the platform.
  const sanity: Array<[string, number, string[]]> = [
    ['no-mclt', 1, [`${FX}/sanity/no-mclt.conf line 4: primary failover server must have mclt.`]],
    ['no-split', 1, [`${FX}/sanity/no-split.conf line 4: primary failover server must have hba or split.`]],
    [
      'no-pools',
      1,
      [
        'ERROR: Failover peer, f, has no referring pools. You must refer to each peer in at least one pool declaration.',
        'WARNING: load balancing will be disabled for failover peer, f, because its load balance max secs is 0',
        'Failover configuration sanity check failed',
      ],
    ],
    ['secondary-split', 1, [`${FX}/sanity/secondary-split.conf line 3: secondary may not define load balance settings.`]],
    ['secondary-hba', 1, [`${FX}/sanity/secondary-hba.conf line 3: secondary may not define load balance settings.`]],
    ['no-peer-address', 1, [`${FX}/sanity/no-peer-address.conf line 4: peer address may not be omitted`]],
    ['dynamic-bootp', 1, [`${FX}/sanity/dynamic-bootp.conf line 6: dynamic-bootp flag is not permitted for address`]],
    ['redeclared', 1, [`${FX}/sanity/redeclared.conf line 5: redeclaration of failover peer f`]],
    ['reference-at-root', 1, [`${FX}/sanity/reference-at-root.conf line 5: failover peer reference not in shared-network declaration`]],
    ['lb-zero', 0, ['WARNING: load balancing will be disabled for failover peer, f, because its load balance max secs is 0']],
  ];
  for (const [name, status, lines] of sanity) {
    it(`sanity/${name}: dhcpd says it in these words`, () => {
      const run = dhcpdTest(`${FX}/sanity/${name}.conf`);
      assert.equal(run.status, status);
      assert.deepEqual(run.lines, lines);
    });
  }

  it('the parser leaves the platform rules to the platform: it reads the sanity confs dhcpd refuses for failover reasons', () => {
    for (const name of ['no-mclt', 'no-split', 'no-pools', 'secondary-split', 'secondary-hba', 'no-peer-address', 'dynamic-bootp', 'lb-zero']) {
      assert.equal(parseDhcpdConf(`${FX}/sanity/${name}.conf`).failoverPeers.length, 1, name);
    }
    // These two are structural, and the parser refuses them as dhcpd does.
    assert.throws(() => parseDhcpdConf(`${FX}/sanity/redeclared.conf`), /line 5: redeclaration of failover peer "f"$/);
    assert.throws(
      () => parseDhcpdConf(`${FX}/sanity/reference-at-root.conf`),
      /line 5: failover peer "f"; \(a reference\) outside a shared-network declaration$/,
    );
  });
});
