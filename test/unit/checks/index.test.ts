import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHECKS, CHECKS_BY_ID } from '../../../src/checks/index.js';
import { CHECK_IDS } from '../../../src/checks/ids.js';
import { RUNNER_CODES } from '../../../src/checks/types.js';
import { dns } from '../../../src/checks/dns.js';
import { ip } from '../../../src/checks/ip.js';
import { version } from '../../../src/checks/version.js';
import { permissions } from '../../../src/checks/permissions.js';
import { relationships } from '../../../src/checks/relationships.js';
import { service } from '../../../src/checks/service.js';
import { time } from '../../../src/checks/time.js';
import { scopes } from '../../../src/checks/scopes.js';
import { createContext } from '../../../src/context.js';
import { parseScopeRequest } from '../../../src/net/scope.js';
import type { PairingPlan } from '../../../src/plan.js';
import { InputError } from '../../../src/util/errors.js';
import { DNS, PERMISSIONS, REL_PARTNER, SCOPES, SERVICE, TIME_HALF, VERSION, expectFail, expectStatus } from '../../helpers/checks.js';
import { fixturePath, makePlan } from '../../helpers/context.js';
import { reply, startFakeNtp, type FakeNtp } from '../../helpers/fake-ntp.js';

const readme = readFileSync(fixturePath('../../README.md'), 'utf8');

describe('check registry', () => {
  it('holds every id once, in documented order', () => {
    assert.deepEqual(
      CHECKS.map((c) => c.id),
      [...CHECK_IDS],
    );
    for (const id of CHECK_IDS) assert.equal(CHECKS_BY_ID[id].id, id);
  });

  it('lists every outcome code of every check in the README, with its status', () => {
    const missing: string[] = [];
    for (const c of CHECKS)
      for (const [slug, status] of Object.entries(c.codes))
        if (!readme.includes(`\`${c.id}.${slug}\` (${status})`)) missing.push(`${c.id}.${slug} (${status})`);
    assert.deepEqual(missing, []);
    for (const slug of Object.keys(RUNNER_CODES)) assert.ok(readme.includes(`<id>.${slug}`), slug);
  });

  it('lists no code in the README that no check gives', () => {
    const known = new Set(CHECKS.flatMap((c) => Object.keys(c.codes).map((s) => `${c.id}.${s}`)));
    const listed = [...readme.matchAll(/`([a-z][a-z-]*\.[a-z0-9-]+)` \((?:pass|warn|fail|skip|unknown)\)/g)].map((m) => m[1]!);
    assert.ok(listed.length > 40, `${listed.length} codes found in the README`);
    assert.deepEqual(
      listed.filter((c) => !known.has(c)),
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The registered checks through the real createContext, reading real inventory files.

const fixture = (name: string) => fixturePath(`inventory/${name}`);

function realContext(overrides: Partial<PairingPlan>) {
  return createContext(makePlan({ timeoutMs: 2000, ...overrides }), new AbortController().signal);
}

const inventory = (name: string) => ({ kind: 'inventory' as const, path: fixture(name) });

describe('checks through createContext and inventory files', () => {
  const good = {
    partner: '10.0.0.2',
    localSource: inventory('local.yaml'),
    partnerSource: inventory('partner-ok.yaml'),
    scopes: [parseScopeRequest('10.0.0.0/24'), parseScopeRequest('10.1.0.0')],
  };
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
