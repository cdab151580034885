import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { dns } from '../../src/checks/dns.js';
import { ip } from '../../src/checks/ip.js';
import { reachability } from '../../src/checks/reachability.js';
import { version } from '../../src/checks/version.js';
import { permissions } from '../../src/checks/permissions.js';
import { relationships } from '../../src/checks/relationships.js';
import { service } from '../../src/checks/service.js';
import { time } from '../../src/checks/time.js';
import { scopes } from '../../src/checks/scopes.js';
import type { Outcome } from '../../src/checks/types.js';
import { createContext } from '../../src/context.js';
import type { Platform, Relationship, ScopeFact, ServerFacts } from '../../src/facts.js';
import { parseIPv4 } from '../../src/net/ipv4.js';
import { parseScopeRequest } from '../../src/net/scope.js';
import type { PairingPlan } from '../../src/plan.js';
import type { DirectoryFacts } from '../../src/probes/ldap.js';
import { InputError } from '../../src/util/errors.js';
import { clockAt, facts, fixturePath, makeContext, makePlan, probeError } from '../helpers/context.js';
import { reply, startFakeNtp, type FakeNtp } from '../helpers/fake-ntp.js';

// The documented messages, written out here on purpose (not imported): a typo in
// src/checks/messages.ts must make these tests fail.
const DNS = 'Unable to resolve the specified DNS name.';
const REACH = 'The specified DHCP server is not reachable. Please provide a DHCP server that is reachable.';
const VERSION = 'The version of specified DHCP server does not support failover.';
const PERMISSIONS = 'You do not have permissions to perform this operation on the remote DHCP server.';
const REL_LOCAL = 'The local server already has 31 (maximum allowed) failover relationships. A server cannot have more than 31 failover relationships.';
const REL_PARTNER = 'The partner server already has 31 (maximum allowed) failover relationships. A server cannot have more than 31 failover relationships.';
const SERVICE = 'DHCP server is not running on the specified server. Please ensure that DHCP server is running on the specified server.';
const TIME_1 =
  'The time difference between this server and the specified partner server is greater than the permissible value of 1 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
const TIME_HALF =
  'The time difference between this server and the specified partner server is greater than the permissible value of 0.5 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
const TIME_1_5 =
  'The time difference between this server and the specified partner server is greater than the permissible value of 1.5 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
const SCOPES =
  'Following scopes already exist on the specified partner server. These scope(s) will need to be deleted on the partner server before configuring failover.';

const ipMessage = (address: string) => `The specified IP address ${address} is invalid.`;

function expectFail(outcome: Outcome, message: string): void {
  assert.equal(outcome.status, 'fail', `expected fail, got ${outcome.status}: ${outcome.message}`);
  assert.equal(outcome.message, message);
}

function expectStatus(outcome: Outcome, status: Outcome['status']): void {
  assert.equal(outcome.status, status, `expected ${status}, got ${outcome.status}: ${outcome.message}`);
}

const scope = (text: string, extra: Partial<ScopeFact> = {}): ScopeFact => {
  const r = parseScopeRequest(text);
  assert.ok(r.prefix !== undefined);
  return { network: r.network, prefix: r.prefix, ...extra };
};

const ver = (text: string, platform: Platform = 'windows'): ServerFacts => {
  const [major = 0, minor = 0] = text.split('.').map(Number);
  return facts({ platform, version: { product: platform === 'kea' ? 'Kea' : 'Windows DHCP Server', major, minor, text } });
};

const rels = (n: number): Relationship[] => Array.from({ length: n }, (_, i) => ({ name: `rel-${i + 1}`, scopeIds: [] }));

// ---------------------------------------------------------------------------------------------

describe('dns check', () => {
  it('passes when the partner is given as an address', async () => {
    const out = await dns.run(makeContext({ plan: { partner: '10.0.0.2' } }));
    expectStatus(out, 'pass');
  });
  it('passes when the name resolved', async () => {
    const out = await dns.run(makeContext({ partner: { input: 'dhcp2.corp.example', kind: 'name', address: '10.0.0.2' } }));
    expectStatus(out, 'pass');
    assert.match(out.message, /dhcp2\.corp\.example resolves to 10\.0\.0\.2/);
  });
  it('fails with the documented message when the name did not resolve', async () => {
    const out = await dns.run(makeContext({ partner: { input: 'nope.corp.example', kind: 'name', error: 'ENOTFOUND' } }));
    expectFail(out, DNS);
    assert.equal(out.details.name, 'nope.corp.example');
  });
});

describe('ip check', () => {
  it('fails for 300.1.2.3 with the address in the message', async () => {
    expectFail(await ip.run(makeContext({ plan: { partner: '300.1.2.3' } })), 'The specified IP address 300.1.2.3 is invalid.');
  });
  for (const address of ['0.0.0.0', '255.255.255.255', '224.0.0.5', '240.0.0.1']) {
    it(`fails for ${address}`, async () => {
      expectFail(await ip.run(makeContext({ plan: { partner: address } })), ipMessage(address));
    });
  }
  it('fails for the local server\'s own address', async () => {
    const out = await ip.run(makeContext({ plan: { partner: '10.0.0.1' }, localAddresses: ['192.168.0.1', '10.0.0.1'] }));
    expectFail(out, 'The specified IP address 10.0.0.1 is invalid.');
  });
  it('fails for the address a name resolved to when it is the local server', async () => {
    const out = await ip.run(makeContext({ partner: { input: 'dhcp1', kind: 'name', address: '10.0.0.1' }, localAddresses: ['10.0.0.1'] }));
    expectFail(out, 'The specified IP address 10.0.0.1 is invalid.');
  });
  for (const address of ['127.0.0.2', '169.254.1.1']) {
    it(`warns for ${address}`, async () => {
      const out = await ip.run(makeContext({ plan: { partner: address } }));
      expectStatus(out, 'warn');
      assert.ok(out.message.includes(address));
    });
  }
  it('passes for 10.0.0.2', async () => {
    expectStatus(await ip.run(makeContext({ plan: { partner: '10.0.0.2' } })), 'pass');
  });
  it('warns when the partner gets its own address from DHCP', async () => {
    expectStatus(await ip.run(makeContext({ plan: { partner: '10.0.0.2' }, partnerFacts: facts({ staticAddress: false }) })), 'warn');
  });
  it('is unknown when a name did not resolve', async () => {
    expectStatus(await ip.run(makeContext({ partner: { input: 'nope', kind: 'name', error: 'ENOTFOUND' } })), 'unknown');
  });
});

describe('reachability check (real loopback)', () => {
  let server: Server;
  let openPort = 0;
  let closedPort = 0;
  before(async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as AddressInfo).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('passes when the failover port accepts a connection', async () => {
    const out = await reachability.run(makeContext({ plan: { partner: '127.0.0.1', failoverPort: openPort, timeoutMs: 2000 } }));
    expectStatus(out, 'pass');
    assert.ok(out.message.includes(String(openPort)));
    // TCP answered at once: no ping process was started for a verdict it could not change.
    assert.equal(out.details['icmp'], 'not asked: TCP answered');
  });
  it('warns when the host answers but the port is closed', async () => {
    const out = await reachability.run(makeContext({ plan: { partner: '127.0.0.1', failoverPort: closedPort, timeoutMs: 2000 } }));
    expectStatus(out, 'warn');
    assert.ok(out.message.includes(String(closedPort)), out.message);
    assert.notEqual(out.message, REACH);
    assert.equal(out.details['icmp'], 'not asked: TCP answered');
    assert.deepEqual(out.evidence, [out.details['tcp']], 'only what was asked is evidence');
  });
  it('defaults to TCP 647 and names the firewall rule Microsoft-Windows-DHCP-Failover-TCP-In', async () => {
    // Nothing listens on 127.0.0.1:647 here (a port below 1024 needs root to listen on).
    const out = await reachability.run(makeContext({ plan: { partner: '127.0.0.1', timeoutMs: 2000 } }));
    expectStatus(out, 'warn');
    assert.ok(out.message.includes('647'), out.message);
    assert.ok(out.fix?.includes('Microsoft-Windows-DHCP-Failover-TCP-In'), out.fix);
  });
  it('is unknown without a partner address', async () => {
    expectStatus(await reachability.run(makeContext({ partner: { input: 'nope', kind: 'name', error: 'ENOTFOUND' } })), 'unknown');
  });
  // The fail path (REACH) needs a host that answers neither ICMP nor TCP: covered by an integration test.
});

describe('version check', () => {
  it('fails for Windows 6.1 (2008 R2) with the documented message', async () => {
    expectFail(await version.run(makeContext({ partnerFacts: ver('6.1') })), VERSION);
  });
  for (const v of ['6.2', '6.3', '10.0']) {
    it(`passes for Windows ${v}`, async () => {
      expectStatus(await version.run(makeContext({ partnerFacts: ver(v), local: ver(v) })), 'pass');
      expectStatus(await version.run(makeContext({ partnerFacts: ver(v) })), 'pass');
    });
  }
  it('is unknown without facts', async () => {
    expectStatus(await version.run(makeContext({})), 'unknown');
    expectStatus(await version.run(makeContext({ partnerFacts: facts() })), 'unknown');
    expectStatus(await version.run(makeContext({ partnerFacts: probeError('agent did not answer') })), 'unknown');
  });
  it('warns when the versions differ', async () => {
    expectStatus(await version.run(makeContext({ local: ver('6.3'), partnerFacts: ver('10.0') })), 'warn');
  });
  it('fails for Kea 1.3 and passes for Kea 2.2', async () => {
    expectFail(await version.run(makeContext({ partnerFacts: ver('1.3', 'kea') })), VERSION);
    expectStatus(await version.run(makeContext({ partnerFacts: ver('2.2', 'kea'), local: ver('2.2', 'kea') })), 'pass');
  });
  it(
    'is not a pass when no minimum version is known for the platform',
    async () => {
      const other = ver('1.0', 'other');
      expectStatus(await version.run(makeContext({ partnerFacts: other, local: other })), 'unknown');
    },
  );
  it('fails when the local server is too old', async () => {
    expectFail(await version.run(makeContext({ local: ver('6.1'), partnerFacts: ver('6.3') })), VERSION);
  });
  it('fails for a Windows server paired with a Kea server', async () => {
    expectFail(await version.run(makeContext({ local: ver('6.3'), partnerFacts: ver('2.2', 'kea') })), VERSION);
    expectFail(await version.run(makeContext({ local: ver('2.2', 'kea'), partnerFacts: ver('10.0') })), VERSION);
  });
});

describe('permissions check', () => {
  it('passes for a DHCP administrator', async () => {
    expectStatus(await permissions.run(makeContext({ partnerFacts: facts({ identity: { user: 'CORP\\a', isDhcpAdministrator: true } }) })), 'pass');
  });
  it('fails with the documented message otherwise', async () => {
    expectFail(await permissions.run(makeContext({ partnerFacts: facts({ identity: { user: 'CORP\\b', isDhcpAdministrator: false } }) })), PERMISSIONS);
  });
  const directory = (membership: DirectoryFacts['membership']): DirectoryFacts => ({
    base: 'DC=corp,DC=example',
    user: { input: 'alice', dn: 'CN=alice,CN=Users,DC=corp,DC=example' },
    group: { input: 'DHCP Administrators' },
    membership,
    computers: {},
    authorization: {},
    authorizedServers: [],
    notes: [],
  });
  it('fails with the documented message when the directory says the user is no member', async () => {
    expectFail(await permissions.run(makeContext({ directory: directory('none') })), PERMISSIONS);
  });
  it('passes when the directory finds a nested membership', async () => {
    expectStatus(await permissions.run(makeContext({ directory: directory('nested') })), 'pass');
  });
  it('is unknown when no source tells', async () => {
    expectStatus(await permissions.run(makeContext({ partnerFacts: facts({ identity: { user: 'CORP\\c' } }) })), 'unknown');
    expectStatus(await permissions.run(makeContext({ directory: probeError('LDAP 127.0.0.1:389: refused') })), 'unknown');
    expectStatus(await permissions.run(makeContext({})), 'unknown');
  });
});

describe('relationships check', () => {
  it('fails for a local server with 31 relationships', async () => {
    expectFail(await relationships.run(makeContext({ local: facts({ relationships: rels(31) }), partnerFacts: facts({ relationships: [] }) })), REL_LOCAL);
  });
  it('fails for a partner with 31 relationships', async () => {
    expectFail(await relationships.run(makeContext({ local: facts({ relationships: rels(3) }), partnerFacts: facts({ relationships: rels(31) }) })), REL_PARTNER);
  });
  it('names both when both are full', async () => {
    expectFail(
      await relationships.run(makeContext({ local: facts({ relationships: rels(31) }), partnerFacts: facts({ relationships: rels(31) }) })),
      `${REL_LOCAL}\n${REL_PARTNER}`,
    );
  });
  it('fails for a partner that is full even when the local count is unknown', async () => {
    expectFail(await relationships.run(makeContext({ partnerFacts: facts({ relationships: rels(31) }) })), REL_PARTNER);
  });
  it('passes with 30', async () => {
    expectStatus(await relationships.run(makeContext({ local: facts({ relationships: rels(30) }), partnerFacts: facts({ relationships: rels(30) }) })), 'pass');
  });
  it('is unknown when a count is missing', async () => {
    expectStatus(await relationships.run(makeContext({ local: facts({ relationships: [] }), partnerFacts: facts() })), 'unknown');
    expectStatus(await relationships.run(makeContext({ local: facts({ relationships: [] }) })), 'unknown');
  });
});

describe('service check', () => {
  const state = (s: 'running' | 'paused' | 'stopped' | 'other', raw: string) => facts({ service: { state: s, raw } });
  it('passes when running', async () => expectStatus(await service.run(makeContext({ partnerFacts: state('running', 'Running') })), 'pass'));
  it('passes when paused', async () => expectStatus(await service.run(makeContext({ partnerFacts: state('paused', 'Paused') })), 'pass'));
  it('fails with the documented message when stopped', async () => {
    expectFail(await service.run(makeContext({ partnerFacts: state('stopped', 'Stopped') })), SERVICE);
  });
  it('fails for other states (StopPending)', async () => {
    const out = await service.run(makeContext({ partnerFacts: state('other', 'StopPending') }));
    expectFail(out, SERVICE);
    assert.equal(out.details.state, 'StopPending');
  });
  it('is unknown without a state', async () => {
    expectStatus(await service.run(makeContext({ partnerFacts: facts() })), 'unknown');
    expectStatus(await service.run(makeContext({})), 'unknown');
  });
});

describe('time check', () => {
  it('fails for a 300 s difference with the default 1 minute limit', async () => {
    expectFail(await time.run(makeContext({ partnerClock: clockAt(300_000) })), TIME_1);
  });
  it('fails when the partner is 300 s behind', async () => {
    expectFail(await time.run(makeContext({ localClock: clockAt(150_000), partnerClock: clockAt(-150_000) })), TIME_1);
  });
  it('uses the partner\'s DhcpMsgSyncDeltaTime: 30 s and a 45 s difference say 0.5 minutes', async () => {
    const out = await time.run(makeContext({ partnerFacts: facts({ maxClockSkewSeconds: 30 }), partnerClock: clockAt(45_000) }));
    expectFail(out, TIME_HALF);
    assert.equal(out.details.limitFrom, 'partner server setting');
  });
  it('uses the smallest of --max-time-skew and both servers\' settings', async () => {
    const ctx = (local: number, partner: number, flag: number) =>
      makeContext({
        plan: { maxTimeSkewSeconds: flag },
        local: facts({ maxClockSkewSeconds: local }),
        partnerFacts: facts({ maxClockSkewSeconds: partner }),
        partnerClock: clockAt(95_000),
      });
    const fromLocal = await time.run(ctx(90, 100, 120));
    expectFail(fromLocal, TIME_1_5);
    assert.equal(fromLocal.details.limitFrom, 'local server setting');
    const fromFlag = await time.run(ctx(200, 100, 90));
    expectFail(fromFlag, TIME_1_5);
    assert.equal(fromFlag.details.limitFrom, '--max-time-skew');
    expectStatus(await time.run(ctx(120, 100, 300)), 'pass');
  });
  it('passes within the limit', async () => {
    expectStatus(await time.run(makeContext({ partnerClock: clockAt(30_000, 5) })), 'pass');
  });
  it('warns when within the limit but within the error bound of it', async () => {
    expectStatus(await time.run(makeContext({ partnerClock: clockAt(59_000, 1500) })), 'warn');
    expectStatus(await time.run(makeContext({ partnerClock: clockAt(61_000, 1500) })), 'warn');
  });
  it('is unknown when a clock cannot be read', async () => {
    expectStatus(await time.run(makeContext({ partnerClock: probeError('NTP 10.0.0.2:123: no answer') })), 'unknown');
    expectStatus(await time.run(makeContext({ localClock: probeError('NTP 10.0.0.1:123: no answer') })), 'unknown');
  });
});

describe('scopes check', () => {
  const req = (...texts: string[]): Partial<PairingPlan> => ({ scopes: texts.map(parseScopeRequest) });

  it('fails for the exact same scope id on the partner', async () => {
    const out = await scopes.run(makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')] }), partnerFacts: facts({ scopes: [scope('10.0.0.0/24')] }) }));
    expectFail(out, `${SCOPES}\n  10.0.0.0 mask 255.255.255.0: exists on the partner`);
  });
  it('fails for a partner /25 inside the local /24', async () => {
    const out = await scopes.run(makeContext({ local: facts({ scopes: [scope('10.1.0.0/24')] }), partnerFacts: facts({ scopes: [scope('10.1.0.128/25')] }) }));
    expectFail(out, `${SCOPES}\n  10.1.0.0 mask 255.255.255.0: overlaps partner scope 10.1.0.128 mask 255.255.255.128`);
  });
  it('fails for a partner /16 containing the local /24', async () => {
    const out = await scopes.run(makeContext({ local: facts({ scopes: [scope('10.2.3.0/24')] }), partnerFacts: facts({ scopes: [scope('10.2.0.0/16')] }) }));
    expectFail(out, `${SCOPES}\n  10.2.3.0 mask 255.255.255.0: overlaps partner scope 10.2.0.0 mask 255.255.0.0`);
  });
  it('lists every offending scope, one line each, with range and name', async () => {
    const out = await scopes.run(
      makeContext({
        local: facts({
          scopes: [
            scope('10.0.0.0/24', { name: 'Office', rangeStart: parseIPv4('10.0.0.10')!, rangeEnd: parseIPv4('10.0.0.200')! }),
            scope('10.1.0.0/24'),
            scope('10.2.3.0/24'),
            scope('10.9.0.0/24'),
          ],
        }),
        partnerFacts: facts({ scopes: [scope('192.168.0.0/24'), scope('10.2.0.0/16', { name: 'Big' }), scope('10.1.0.128/25'), scope('10.0.0.0/24')] }),
      }),
    );
    expectFail(
      out,
      [
        SCOPES,
        '  10.0.0.0 mask 255.255.255.0, range 10.0.0.10-10.0.0.200 "Office": exists on the partner',
        '  10.1.0.0 mask 255.255.255.0: overlaps partner scope 10.1.0.128 mask 255.255.255.128',
        '  10.2.3.0 mask 255.255.255.0: overlaps partner scope 10.2.0.0 mask 255.255.0.0 "Big"',
      ].join('\n'),
    );
  });
  it('compares only the requested scopes', async () => {
    const ctx = makeContext({
      plan: req('10.1.0.0/24'),
      local: facts({ scopes: [scope('10.0.0.0/24'), scope('10.1.0.0/24')] }),
      partnerFacts: facts({ scopes: [scope('10.0.0.0/24')] }),
    });
    expectStatus(await scopes.run(ctx), 'pass');
  });
  it('fails with our own message for a requested scope missing on the local server', async () => {
    const out = await scopes.run(
      makeContext({ plan: req('10.9.0.0', '10.0.0.0/25'), local: facts({ scopes: [scope('10.0.0.0/24')] }), partnerFacts: facts({ scopes: [] }) }),
    );
    expectFail(out, 'Scope 10.9.0.0 does not exist on the local server.\nScope 10.0.0.0/25 does not exist on the local server.');
  });
  it('fails for a scope already in a local failover relationship', async () => {
    const out = await scopes.run(
      makeContext({
        local: facts({ scopes: [scope('10.0.0.0/24')], relationships: [{ name: 'dhcp1-dhcp3', scopeIds: ['10.0.0.0'] }] }),
        partnerFacts: facts({ scopes: [] }),
      }),
    );
    expectFail(out, 'Scope 10.0.0.0 is already in failover relationship "dhcp1-dhcp3" on the local server.');
  });
  it('fails for a local-relationship scope even when the partner scopes are unknown', async () => {
    const out = await scopes.run(
      makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')], relationships: [{ name: 'r', scopeIds: ['10.0.0.0'] }] }), partnerFacts: facts() }),
    );
    expectFail(out, 'Scope 10.0.0.0 is already in failover relationship "r" on the local server.');
  });
  it('adds local problems after the collision lines', async () => {
    const out = await scopes.run(
      makeContext({
        plan: req('10.0.0.0', '10.7.0.0'),
        local: facts({ scopes: [scope('10.0.0.0/24')] }),
        partnerFacts: facts({ scopes: [scope('10.0.0.0/24')] }),
      }),
    );
    expectFail(out, `${SCOPES}\n  10.0.0.0 mask 255.255.255.0: exists on the partner\nScope 10.7.0.0 does not exist on the local server.`);
  });
  it('passes when nothing collides', async () => {
    const out = await scopes.run(
      makeContext({ local: facts({ scopes: [scope('10.0.0.0/25')] }), partnerFacts: facts({ scopes: [scope('10.0.0.128/25'), scope('10.0.1.0/24')] }) }),
    );
    expectStatus(out, 'pass');
  });
  it('compares a requested prefix with the partner when there is no local source', async () => {
    const out = await scopes.run(makeContext({ plan: req('10.0.0.0/24'), partnerFacts: facts({ scopes: [scope('10.0.0.0/16')] }) }));
    expectFail(out, `${SCOPES}\n  10.0.0.0 mask 255.255.255.0: overlaps partner scope 10.0.0.0 mask 255.255.0.0`);
  });
  it('is unknown when the partner scopes are unknown', async () => {
    expectStatus(await scopes.run(makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')] }), partnerFacts: facts() })), 'unknown');
    expectStatus(await scopes.run(makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')] }) })), 'unknown');
    expectStatus(await scopes.run(makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')] }), partnerFacts: probeError('agent down') })), 'unknown');
  });
  it('is unknown when the scopes to share are unknown', async () => {
    expectStatus(await scopes.run(makeContext({ partnerFacts: facts({ scopes: [scope('10.0.0.0/24')] }) })), 'unknown');
  });
  it(
    'does not pass a bare --scope it could not compare (no local source)',
    async () => {
      const out = await scopes.run(makeContext({ plan: req('10.0.0.0'), partnerFacts: facts({ scopes: [scope('10.0.0.0/24')] }) }));
      assert.notEqual(out.status, 'pass', out.message);
    },
  );
  it(
    'names every colliding partner scope in the message, also next to an exact match',
    async () => {
      const out = await scopes.run(
        makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')] }), partnerFacts: facts({ scopes: [scope('10.0.0.0/24'), scope('10.0.0.192/26')] }) }),
      );
      expectStatus(out, 'fail');
      assert.ok(out.message.includes('10.0.0.192 mask 255.255.255.192'), out.message);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// The same checks through the real createContext, reading real inventory files.

const fixture = (name: string) => fixturePath(`inventory/${name}`);

function realContext(overrides: Partial<PairingPlan>) {
  return createContext(makePlan({ timeoutMs: 2000, ...overrides }), new AbortController().signal);
}

const inventory = (name: string) => ({ kind: 'inventory' as const, path: fixture(name) });

describe('checks through createContext and inventory files', () => {
  const good = { partner: '10.0.0.2', localSource: inventory('local.yaml'), partnerSource: inventory('partner-ok.yaml'), scopes: [parseScopeRequest('10.0.0.0/24'), parseScopeRequest('10.1.0.0')] };
  const bad = { partner: '10.0.0.2', localSource: inventory('local.yaml'), partnerSource: inventory('partner-bad.yaml') };

  it('reads an inventory once and memoises it', async () => {
    const ctx = realContext(good);
    await ctx.loadFileSources();
    const a = await ctx.facts('partner');
    const b = await ctx.facts('partner');
    assert.equal(a, b);
    assert.equal(a?.name, 'dhcp2');
    assert.equal(a?.maxClockSkewSeconds, 30);
    assert.deepEqual(a?.version, { product: 'Windows DHCP Server', major: 6, minor: 3, build: 9600, text: '6.3.9600' });
  });
  it('passes the fact-based checks for a ready partner', async () => {
    const ctx = realContext(good);
    for (const check of [version, permissions, relationships, service, scopes]) {
      expectStatus(await check.run(ctx), 'pass');
    }
  });
  it('fails the fact-based checks with the documented messages for a bad partner', async () => {
    const ctx = realContext(bad);
    expectFail(await version.run(ctx), VERSION);
    expectFail(await permissions.run(ctx), PERMISSIONS);
    expectFail(await relationships.run(ctx), REL_PARTNER);
    expectFail(await service.run(ctx), SERVICE);
    expectFail(
      await scopes.run(ctx),
      [
        SCOPES,
        '  10.0.0.0 mask 255.255.255.0, range 10.0.0.10-10.0.0.200 "Office": exists on the partner',
        '  10.1.0.0 mask 255.255.255.0 "Lab": overlaps partner scope 10.1.0.128 mask 255.255.255.128',
        'Scope 10.5.0.0 is already in failover relationship "dhcp1-dhcp3" on the local server.',
      ].join('\n'),
    );
  });
  it('is unknown where a sparse inventory cannot tell', async () => {
    const ctx = realContext({ ...good, partnerSource: inventory('partner-sparse.yaml') });
    for (const check of [version, permissions, relationships, service, scopes]) expectStatus(await check.run(ctx), 'unknown');
  });
  it('rejects an inventory with a misspelt key, naming it', async () => {
    const ctx = realContext({ partner: '10.0.0.2', partnerSource: inventory('partner-typo.yaml') });
    await assert.rejects(ctx.loadFileSources(), (err: unknown) => err instanceof InputError && err.message.includes('verison'));
    const out = await version.run(ctx);
    expectStatus(out, 'unknown');
    assert.match(String(out.details.cause), /verison/);
  });
  it('dns passes for an address and for localhost, and fails for a name that does not resolve', async () => {
    expectStatus(await dns.run(realContext({ partner: '10.0.0.2' })), 'pass');
    const local = await dns.run(realContext({ partner: 'localhost' }));
    expectStatus(local, 'pass');
    assert.equal(local.details.address, '127.0.0.1');
    expectFail(await dns.run(realContext({ partner: 'no-such-host.invalid' })), DNS);
  });
  it('ip fails for an invalid address and for the address of the local inventory', async () => {
    expectFail(await ip.run(realContext({ partner: '300.1.2.3' })), 'The specified IP address 300.1.2.3 is invalid.');
    expectFail(await ip.run(realContext({ partner: '10.0.0.1', localSource: inventory('local.yaml') })), 'The specified IP address 10.0.0.1 is invalid.');
    expectStatus(await ip.run(realContext({ partner: '127.0.0.2' })), 'warn');
    expectStatus(await ip.run(realContext({ partner: '10.0.0.2', localSource: inventory('local.yaml'), partnerSource: inventory('partner-ok.yaml') })), 'pass');
  });

  describe('time, against a fake NTP server on 127.0.0.1', () => {
    let fake: FakeNtp | undefined;
    after(async () => fake?.close());
    it('fails with "0.5 minutes" for a partner 45 s ahead whose own limit is 30 s', async () => {
      fake = await startFakeNtp((request) => [reply(request, { shiftMs: 45_000 })]);
      const ctx = realContext({ ...good, partnerNtp: { host: fake.host, port: fake.port } });
      const out = await time.run(ctx);
      expectFail(out, TIME_HALF);
      assert.equal(out.details.limitFrom, 'partner server setting');
      await fake.close();
      fake = undefined;
    });
    it('passes for a partner 2 s ahead', async () => {
      fake = await startFakeNtp((request) => [reply(request, { shiftMs: 2000 })]);
      expectStatus(await time.run(realContext({ ...good, partnerNtp: { host: fake.host, port: fake.port } })), 'pass');
      await fake.close();
      fake = undefined;
    });
  });
});
