import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScopeFact, ServerFacts } from '../../../src/facts.js';
import { parseScopeRequest } from '../../../src/net/scope.js';
import { PLATFORM_IDS } from '../../../src/platforms/ids.js';
import { PLATFORMS, pairPlatform, platformOf } from '../../../src/platforms/index.js';

// Each platform's rules, table-driven: the same question, each platform's own answer.

const scope = (text: string, extra: Partial<ScopeFact> = {}): ScopeFact => {
  const r = parseScopeRequest(text);
  return { network: r.network, prefix: r.prefix!, ...extra };
};
const at = (platform: ServerFacts['platform'], extra: Partial<ServerFacts> = {}): ServerFacts => ({ source: 'test', platform, ...extra });
const v = (major: number, minor: number, product = 'x') => ({ product, major, minor, text: `${major}.${minor}` });

describe('platform registry', () => {
  it('has one module per platform id, each naming itself', () => {
    assert.deepEqual(Object.keys(PLATFORMS).sort(), [...PLATFORM_IDS].sort());
    for (const id of PLATFORM_IDS) assert.equal(platformOf(id).id, id);
  });
  it('judges a pair by the partner, then the local server, then what the specs imply; two platforms cannot pair, whatever the sources', () => {
    type P = ServerFacts['platform'];
    // local facts, partner facts, local kind, partner kind, directory, platform, mixed
    const rows: [ServerFacts | undefined, ServerFacts | undefined, P | undefined, P | undefined, P | undefined, string, boolean][] = [
      [at('windows'), at('windows'), undefined, undefined, undefined, 'windows', false],
      [undefined, at('kea'), undefined, undefined, undefined, 'kea', false],
      [at('isc-dhcpd'), undefined, undefined, undefined, undefined, 'isc-dhcpd', false],
      [undefined, undefined, undefined, 'kea', undefined, 'kea', false],
      [undefined, undefined, undefined, undefined, undefined, 'other', false],
      [undefined, undefined, undefined, undefined, 'windows', 'windows', false],
      [at('windows'), at('kea'), undefined, undefined, undefined, 'kea', true],
      [at('other'), at('kea'), undefined, undefined, undefined, 'kea', false],
      // A partner whose source failed still shows its platform by its kind.
      [at('windows'), undefined, undefined, 'kea', undefined, 'kea', true],
      [undefined, undefined, 'isc-dhcpd', 'kea', undefined, 'kea', true],
      [undefined, undefined, 'windows', 'windows', undefined, 'windows', false],
    ];
    for (const [l, p, lk, pk, dir, want, mixed] of rows) {
      const r = pairPlatform(
        { ...(l ? { facts: l } : {}), ...(lk ? { implied: lk } : {}) },
        { ...(p ? { facts: p } : {}), ...(pk ? { implied: pk } : {}) },
        dir,
      );
      assert.equal(r.platform.id, want);
      assert.equal(r.mixed !== undefined, mixed, JSON.stringify([l?.platform, p?.platform, lk, pk]));
    }
  });
});

describe('versionVerdict', () => {
  const rows: [ServerFacts['platform'], number, number, boolean | undefined, string][] = [
    ['windows', 6, 1, false, 'Windows DHCP Server 6.1 (Windows Server 2008 R2)'],
    ['windows', 6, 2, true, 'Windows DHCP Server 6.2 (Windows Server 2012)'],
    ['windows', 10, 0, true, 'Windows DHCP Server 10.0 (Windows Server 2016 or later)'],
    ['kea', 1, 3, false, 'Kea 1.3'],
    ['kea', 1, 4, true, 'Kea 1.4'],
    ['kea', 3, 0, true, 'Kea 3.0'],
    ['isc-dhcpd', 2, 0, false, 'ISC dhcpd 2.0'],
    ['isc-dhcpd', 4, 4, true, 'ISC dhcpd 4.4'],
    ['other', 9, 9, undefined, 'DHCP server 9.9'],
  ];
  for (const [platform, major, minor, supported, described] of rows) {
    it(`${platform} ${major}.${minor}: ${String(supported)}`, () => {
      const m = platformOf(platform);
      const r = m.versionVerdict({ ...at(platform), version: v(major, minor, m.product) });
      assert.equal(r.supported, supported);
      assert.equal(r.described, described);
    });
  }
});

describe('relationshipLimit', () => {
  const rows: [ServerFacts, number | undefined, RegExp][] = [
    [at('windows'), 31, /at most 31/],
    [at('windows', { maxRelationships: 5 }), 5, /at most 5/],
    [at('kea', { version: v(2, 2, 'Kea') }), 1, /exactly one/],
    [at('kea', { version: v(2, 6, 'Kea') }), undefined, /hot-standby/],
    [at('kea'), undefined, /not known/],
    [at('isc-dhcpd'), undefined, /no maximum/],
    [at('other'), undefined, /no maximum/],
  ];
  for (const [facts, max, why] of rows) {
    it(`${facts.platform} ${facts.version?.text ?? ''} ${facts.maxRelationships ?? ''}`, () => {
      const r = platformOf(facts.platform).relationshipLimit(facts);
      assert.equal(r.max, max);
      assert.match(r.why, why);
    });
  }
});

describe('failoverEndpoint, clock limits and fixes', () => {
  it('Windows: 647 and its firewall rule; dhcpd 647 without it', () => {
    assert.deepEqual([PLATFORMS.windows.failoverEndpoint({}).port, PLATFORMS['isc-dhcpd'].failoverEndpoint({}).port], [647, 647]);
    assert.match(PLATFORMS.windows.failoverEndpoint({}).firewall ?? '', /Microsoft-Windows-DHCP-Failover-TCP-In/);
    assert.equal(PLATFORMS['isc-dhcpd'].failoverEndpoint({}).firewall, undefined);
  });
  it('clock limits: Windows its own setting, else its 1-minute default; Kea 60 s; dhcpd a fixed 60 s', () => {
    assert.deepEqual(PLATFORMS.windows.clockLimit(at('windows')), { seconds: 60, from: 'Windows default' });
    assert.equal(PLATFORMS.windows.clockLimit(at('windows', { maxClockSkewSeconds: 30 }))?.seconds, 30);
    assert.equal(PLATFORMS.kea.clockLimit(at('kea'))?.seconds, 60);
    assert.equal(PLATFORMS.kea.clockAdvice?.warnAboveSeconds, 30);
    assert.equal(PLATFORMS['isc-dhcpd'].clockLimit(at('isc-dhcpd'))?.seconds, 60);
  });
  it('no Linux platform gets a Windows cmdlet or firewall rule in its fixes', () => {
    for (const id of ['kea', 'isc-dhcpd'] as const) {
      const text = JSON.stringify(PLATFORMS[id].fixes) + JSON.stringify(PLATFORMS[id].failoverEndpoint({}));
      assert.doesNotMatch(text, /Dhcp(Server)?v4|Start-Service|Microsoft-Windows|w32tm|DHCP Administrators/, id);
    }
    assert.match(PLATFORMS.windows.fixes.service, /Start-Service DHCPServer/);
  });
  it('only Windows servers are authorized in Active Directory', () => {
    assert.deepEqual(
      PLATFORM_IDS.filter((id) => platformOf(id).directoryAuthorization),
      ['windows'],
    );
  });
});

describe('judgeScopes', () => {
  it('Windows: a shared scope must be absent from the partner (same or overlapping is a collision)', () => {
    const j = PLATFORMS.windows.judgeScopes([scope('10.0.1.0/24'), scope('10.0.2.0/24')], [scope('10.0.1.0/24'), scope('10.0.2.0/25')], {});
    assert.equal(j.rule, 'absent-on-partner');
    assert.equal(j.rule === 'absent-on-partner' && j.collisions.length, 2);
  });
  const dhcpdRows: [string, ScopeFact[], ScopeFact[], number, number][] = [
    ['identical pools pass', [scope('10.0.1.0/24', { rangeStart: 10, rangeEnd: 20 })], [scope('10.0.1.0/24', { rangeStart: 10, rangeEnd: 20 })], 0, 0],
    ['another range fails', [scope('10.0.1.0/24', { rangeStart: 10, rangeEnd: 20 })], [scope('10.0.1.0/24', { rangeStart: 10, rangeEnd: 30 })], 1, 0],
    ['a subnet missing on the partner', [scope('10.0.1.0/24')], [], 0, 1],
    ['an overlapping subnet', [scope('10.0.1.0/24')], [scope('10.0.1.0/25')], 1, 0],
  ];
  for (const [name, shared, partner, problems, missing] of dhcpdRows) {
    it(`dhcpd: ${name}`, () => {
      const j = PLATFORMS['isc-dhcpd'].judgeScopes(shared, partner, {});
      assert.equal(j.rule, 'same-on-both');
      if (j.rule !== 'same-on-both') return;
      assert.deepEqual([j.problems.length, j.missing.length, j.missingFails], [problems, missing, true]);
    });
  }
});
