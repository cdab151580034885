import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScopeFact, ServerFacts } from '../../../../src/facts.js';
import { parseScopeRequest, scopeText } from '../../../../src/net/scope.js';
import { kea } from '../../../../src/platforms/kea/index.js';
import { matchPair } from '../../../../src/platforms/kea/pairing.js';
import type { KeaHaRelationship, KeaSubnet } from '../../../../src/sources/kea/types.js';

// The Kea platform's rules on hand-made facts, as a live config-get or a config file gives them.

const rel = (self: string, mode: string, peers: [string, string, string][]): KeaHaRelationship => ({
  thisServerName: self,
  mode,
  peers: peers.map(([name, url, role]) => ({ name, url, role })),
});

function server(name: string, rels: KeaHaRelationship[], subnets: [string, number, string?][] = [], version = '2.6'): ServerFacts {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const scopes: ScopeFact[] = subnets.map(([s, id]) => {
    const r = parseScopeRequest(s);
    return { network: r.network, prefix: r.prefix!, subnetId: id };
  });
  const keaSubnets: KeaSubnet[] = subnets.map(([s, id, owner]) => ({ id, subnet: s, pools: [], ...(owner ? { haServerName: owner } : {}) }));
  return {
    source: `test ${name}`,
    platform: 'kea',
    version: { product: 'Kea', major, minor, text: `${version}.0` },
    scopes,
    relationships: rels.map((r) => ({ name: r.thisServerName, mode: r.mode, scopeIds: [] })),
    kea: { clock: [], haHookLoaded: rels.length > 0, leaseCmdsHookLoaded: true, haConfigured: rels.length > 0, haRelationships: rels, subnets: keaSubnets },
  };
}

const S1 = 'http://127.0.0.1:8101/';
const S2 = 'http://127.0.0.2:8102/';
const pairRel = (self: string, s2Url = S2, s2Role = 'standby') =>
  rel(self, 'hot-standby', [
    ['server1', S1, 'primary'],
    ['server2', s2Url, s2Role],
  ]);

describe('Kea pairing: peers are matched by this-server-name', () => {
  it('a healthy pair agrees; reachability goes to the HA URL port the partner gives itself', async () => {
    const pair = { local: server('s1', [pairRel('server1')]), partner: server('s2', [pairRel('server2')]), partnerEndpoint: { host: '127.0.0.2', port: 8000 } };
    const v = await kea.pairing!(pair);
    assert.deepEqual(v.failures, []);
    assert.equal(kea.failoverEndpoint(pair).port, 8102);
    assert.deepEqual(kea.existingPairing!(pair), { local: 'server1', partner: 'server2', mode: 'hot-standby' });
  });
  it('disagreeing roles, URLs and modes each become a failure line', async () => {
    const l = server('s1', [pairRel('server1', 'http://127.0.0.2:9999/')]);
    const p = server('s2', [
      rel('server2', 'hot-standby', [
        ['server1', S1, 'standby'],
        ['server2', S2, 'standby'],
      ]),
    ]);
    const f = (await kea.pairing!({ local: l, partner: p })).failures.join('\n');
    assert.match(f, /peer "server2": URL http:\/\/127\.0\.0\.2:9999\/ here, http:\/\/127\.0\.0\.2:8102\/ on the partner \(the partner says it listens at/);
    assert.match(f, /peer "server1": role primary here, standby on the partner/);
    const lb = await kea.pairing!({
      local: l,
      partner: server('s2', [
        rel('server2', 'load-balancing', [
          ['server1', S1, 'primary'],
          ['server2', S2, 'secondary'],
        ]),
      ]),
    });
    assert.match(lb.failures.join('\n'), /the modes differ: hot-standby here, load-balancing on the partner/);
  });
  it("Kea's own refusals appear in Kea's words", async () => {
    const bad = rel('server1', 'hot-standby', [
      ['server1', S1, 'primary'],
      ['server2', S2, 'primary'],
    ]);
    const f = (await kea.pairing!({ local: server('s1', [bad]), partner: server('s2', [pairRel('server2')]) })).failures.join('\n');
    assert.match(f, /Kea would refuse the local server's HA configuration: .*multiple primary servers specified/);
  });
  it('half a pair warns and its relationship is this pairing, not another one', async () => {
    const pair = { local: server('s1', [pairRel('server1')]), partner: server('s2', [], [], '2.2'), partnerAddress: '127.0.0.2' };
    assert.deepEqual((await kea.pairing!(pair)).failures, []);
    assert.match((await kea.pairing!(pair)).warnings.join(), /only the local server has HA configured/);
    assert.equal(matchPair(pair.local, pair.partner, '127.0.0.2').local?.thisServerName, 'server1');
  });
});

describe('Kea hub-and-spoke', () => {
  const H = 'http://127.0.0.1:';
  const hubRels = [
    rel('hub-a', 'hot-standby', [
      ['hub-a', `${H}8201/`, 'primary'],
      ['spoke1', 'http://127.0.0.3:8203/', 'standby'],
    ]),
    rel('hub-b', 'hot-standby', [
      ['hub-b', `${H}8202/`, 'primary'],
      ['spoke2', 'http://127.0.0.4:8204/', 'standby'],
    ]),
  ];
  const hub = server('hub', hubRels, [
    ['10.1.0.0/24', 1, 'hub-a'],
    ['10.2.0.0/24', 2, 'hub-b'],
    ['10.3.0.0/24', 3],
  ]);
  it('a new spoke is compared with the subnets no relationship claims, and has room', async () => {
    const spoke3 = server('spoke3', [], [['10.3.0.0/24', 3]]);
    const own = kea.pairScopes!({ local: hub, partner: spoke3 });
    assert.deepEqual(own.local?.map(scopeText), ['10.3.0.0/24']);
    assert.deepEqual(kea.relationshipConflicts!({ local: hub, partner: spoke3 }), []);
  });
  it('re-validating hub and spoke1 compares only spoke1 subnets', async () => {
    const spoke1 = server(
      'spoke1',
      [
        rel('spoke1', 'hot-standby', [
          ['hub-a', `${H}8201/`, 'primary'],
          ['spoke1', 'http://127.0.0.3:8203/', 'standby'],
        ]),
      ],
      [['10.1.0.0/24', 1]],
    );
    assert.deepEqual(kea.pairScopes!({ local: hub, partner: spoke1 }).local?.map(scopeText), ['10.1.0.0/24']);
    assert.deepEqual((await kea.pairing!({ local: hub, partner: spoke1 })).failures, []);
  });
  it('a load-balancing relationship cannot sit beside others; before 2.6 the limit is one', async () => {
    const lbHub = server('hub', [
      hubRels[0]!,
      rel('hub-c', 'load-balancing', [
        ['hub-c', `${H}8205/`, 'primary'],
        ['spoke9', 'http://127.0.0.9:8209/', 'secondary'],
      ]),
    ]);
    assert.match(kea.relationshipConflicts!({ local: lbHub, partner: server('spoke3', []) }).join(), /load-balancing relationship \("hub-c"\)/);
    assert.equal(kea.relationshipLimit(server('old', [pairRel('server1')], [], '2.2')).max, 1);
  });
});

describe('Kea clocks', () => {
  it("3.0's status-get clock-skew is the partner's clock minus ours, ± 2 s", async () => {
    const local = server('s1', [pairRel('server1')], [], '3.0');
    local.kea!.haStatus = [{ remoteClockSkewSeconds: 90 }];
    const c = kea.pairClock!({ local, partner: server('s2', [pairRel('server2')], [], '3.0') });
    assert.deepEqual([c?.differenceMs, c?.errorMs], [90_000, 2000]);
  });
});

describe('Kea scopes', () => {
  it('the same subnets with the same ids pass; another id fails; a subnet without an id is fragile', async () => {
    const l = server('s1', [pairRel('server1')], [['10.1.0.0/24', 1]]);
    const same = kea.judgeScopes(l.scopes!, server('s2', [], [['10.1.0.0/24', 1]]).scopes!, { local: l });
    assert.ok(same.rule === 'same-on-both' && same.problems.length === 0 && !same.warnings);
    const other = kea.judgeScopes(l.scopes!, server('s2', [], [['10.1.0.0/24', 7]]).scopes!, { local: l });
    assert.ok(other.rule === 'same-on-both');
    assert.deepEqual(other.rule === 'same-on-both' && other.problems, ['10.1.0.0/24: id 1 here, id 7 on the partner']);
    const bare = server('s2', [], [['10.1.0.0/24', 1]]).scopes!.map(({ subnetId: _, ...s }) => s);
    const fragile = kea.judgeScopes(bare, bare, {});
    assert.match(fragile.rule === 'same-on-both' ? (fragile.warnings ?? []).join() : '', /without an "id": 10\.1\.0\.0\/24/);
  });
});
