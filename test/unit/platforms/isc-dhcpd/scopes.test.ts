import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dhcpdJudgeScopes } from '../../../../src/platforms/isc-dhcpd/scopes.js';
import type { Pair } from '../../../../src/platforms/types.js';
import { parseScopeRequest } from '../../../../src/net/scope.js';
import { confText, pairOf, pool } from '../../../helpers/dhcpd-confs.js';

// dhcpd replicates no configuration: every failover pool on both sides, same subnet, same ranges,
// the same peer; BOOTP cannot be served dynamically from a failover pool.

const judge = (pair: Pair) => dhcpdJudgeScopes(pair.local!.scopes!, pair.partner!.scopes!, pair);
const P = (subnets?: string) => confText('primary', subnets === undefined ? {} : { subnets });
const S = (subnets?: string) => confText('secondary', subnets === undefined ? {} : { subnets });

describe('isc-dhcpd scopes: the same failover pools on both servers', () => {
  it('identical pools pass', () => {
    const j = judge(pairOf(P(), S()));
    assert.equal(j.rule, 'same-on-both');
    if (j.rule !== 'same-on-both') return;
    assert.deepEqual(j.problems, []);
    assert.deepEqual(j.details?.failoverPools, { local: 1, partner: 1 });
  });

  const other = 'subnet 10.98.0.0 netmask 255.255.255.0 { }\n';
  const rows: [string, string, string, RegExp][] = [
    [
      'a pool on the local side only',
      P(),
      S(other),
      /^10\.99\.0\.0\/24: the failover pool 10\.99\.0\.100-10\.99\.0\.200 \(.*c\d+\.conf line 13\) is not on the partner as a failover pool of the same peer \(missing there, with its subnet\)$/,
    ],
    [
      'a pool on the partner only',
      P(other),
      S(),
      /^10\.99\.0\.0\/24: the partner's failover pool 10\.99\.0\.100-10\.99\.0\.200 \(.*\) is not on the local server$/,
    ],
    [
      'another range',
      P(),
      S(pool('dhcp-failover', '10.99.0.100 10.99.0.150')),
      /^10\.99\.0\.0\/24: failover pool ranges 10\.99\.0\.100-10\.99\.0\.200 here \(.*\), 10\.99\.0\.100-10\.99\.0\.150 on the partner \(.*\)$/,
    ],
    [
      'the partner pool serves no peer',
      P(),
      S('subnet 10.99.0.0 netmask 255.255.255.0 { pool { range 10.99.0.100 10.99.0.200; } }\n'),
      /\(in no failover peer there\)$/,
    ],
    [
      'dynamic BOOTP allowed in a failover pool',
      P(pool('dhcp-failover', undefined, '    allow dynamic bootp clients;\n')),
      S(),
      /the local failover pool \(.*\) allows dynamic bootp clients: failover cannot share BOOTP leases/,
    ],
    [
      'range dynamic-bootp in a failover pool',
      P(),
      S(pool('dhcp-failover', 'dynamic-bootp 10.99.0.100 10.99.0.200')),
      /the partner failover pool's range dynamic-bootp 10\.99\.0\.100 10\.99\.0\.200 .*dhcpd says "dynamic-bootp flag is not permitted for address range declarations where there is a failover peer in scope\."/,
    ],
  ];
  for (const [what, local, partner, want] of rows) {
    it(`fails: ${what}`, () => {
      const j = judge(pairOf(local, partner));
      assert.equal(j.rule, 'same-on-both');
      if (j.rule !== 'same-on-both') return;
      assert.ok(
        j.problems.some((p) => want.test(p)),
        j.problems.join('\n'),
      );
      assert.equal(j.missingFails, true);
    });
  }

  it('a subnet not asked for (--scope) is left out on both sides', () => {
    const two = (range: string) =>
      pool('dhcp-failover') + `subnet 10.98.0.0 netmask 255.255.255.0 { pool { failover peer "dhcp-failover"; range ${range}; } }\n`;
    const pair = pairOf(P(two('10.98.0.10 10.98.0.20')), S(two('10.98.0.10 10.98.0.30')));
    const only = pair.local.scopes!.filter((s) => s.network === parseScopeRequest('10.99.0.0').network);
    const j = dhcpdJudgeScopes(only, pair.partner.scopes!, pair);
    assert.ok(j.rule === 'same-on-both' && j.problems.length === 0, JSON.stringify(j));
    const all = judge(pair);
    assert.ok(all.rule === 'same-on-both' && all.problems.length === 1);
  });

  it('inventory facts (no dhcpd declarations) compare subnets and their range', () => {
    const s = parseScopeRequest('10.77.20.0/24');
    const local = {
      source: 'inventory:a',
      platform: 'isc-dhcpd' as const,
      scopes: [{ network: s.network, prefix: 24, rangeStart: s.network + 50, rangeEnd: s.network + 99 }],
    };
    const partner = { ...local, scopes: [{ ...local.scopes[0]!, rangeEnd: s.network + 120 }] };
    const j = dhcpdJudgeScopes(local.scopes, partner.scopes, { local, partner });
    assert.ok(j.rule === 'same-on-both');
    assert.deepEqual(j.problems, ['10.77.20.0/24: range 10.77.20.50-10.77.20.99 here, range 10.77.20.50-10.77.20.120 on the partner']);
  });
});

describe('isc-dhcpd scopes before setup', () => {
  it('no failover pool on either side: the subnets are compared, one missing on the partner only warns', () => {
    const plain = (extra = '') => `subnet 10.99.0.0 netmask 255.255.255.0 { range 10.99.0.100 10.99.0.200; }\n${extra}`;
    const pair = pairOf(plain('subnet 10.98.0.0 netmask 255.255.255.0 { range 10.98.0.1 10.98.0.9; }\n'), plain());
    const j = judge(pair);
    assert.ok(j.rule === 'same-on-both');
    assert.deepEqual(j.problems, []);
    assert.deepEqual(j.missing, ['10.98.0.0/24 is missing on the partner']);
    assert.equal(j.missingFails, false);
  });
});
