import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorization } from '../../../src/checks/authorization.js';
import { dnsUpdates } from '../../../src/checks/dns-updates.js';
import { unread } from '../../../src/checks/facts-of.js';
import { identity } from '../../../src/checks/identity.js';
import { permissions } from '../../../src/checks/permissions.js';
import { relationships } from '../../../src/checks/relationships.js';
import { replication } from '../../../src/checks/replication.js';
import { scopes } from '../../../src/checks/scopes.js';
import { service } from '../../../src/checks/service.js';
import { staticAddress } from '../../../src/checks/static-address.js';
import type { Check, Outcome } from '../../../src/checks/types.js';
import { version } from '../../../src/checks/version.js';
import type { LdapOptions, PairingPlan } from '../../../src/plan.js';
import { scope } from '../../helpers/checks.js';
import { facts, makeContext, probeError, type TestContextInput } from '../../helpers/context.js';

// Issue 23, item 7: a check that lacks a fact because the source given for it failed (the agent
// refused the connection, answered "not allowed", the directory's bind failed) names that failure
// in its evidence (or cause) and its fix addresses it; advice to give a source is only for when
// none was given. One implementation (unread() in src/checks/facts-of.ts) serves every check.

const KEA_URL = 'http://127.0.0.3:8000/';
const REFUSED = `Kea version-get at ${KEA_URL}: connection refused (nothing listens there)`;
const REFUSAL = "version-get answered result 1: command 'version-get' not allowed";
const LDAP_ERROR = 'LDAP 127.0.0.1:389: connection refused';
const LDAP: LdapOptions = { url: 'ldap://127.0.0.1:389', insecure: true, adminGroup: 'DHCP Administrators' };

const keaPlan: Partial<PairingPlan> = { partnerSource: { kind: 'kea', url: KEA_URL }, localSource: { kind: 'inventory', path: 'local.yaml' } };
const keaLocal = facts({
  source: 'inventory:local.yaml',
  platform: 'kea',
  version: { product: 'Kea', major: 2, minor: 2, text: '2.2.0' },
  relationships: [],
  scopes: [scope('10.99.0.0/24', { subnetId: 1 })],
});
const winLocal = facts({ source: 'inventory:hub.yaml', platform: 'windows', relationships: [] });

/** The partner's Kea source given and failed: the connection was refused. */
const failed: TestContextInput = { plan: keaPlan, local: keaLocal, partnerFacts: probeError(REFUSED, 'ECONNREFUSED') };
/** The partner's Kea agent answered every command "not allowed" (HTTP 200, result 1). */
const refusedFacts = facts({ source: `kea:${KEA_URL}`, platform: 'kea', notes: [REFUSAL], refused: [REFUSAL], identity: {} });
const refusing: TestContextInput = { plan: keaPlan, local: keaLocal, partnerFacts: refusedFacts };
/** No partner source at all. */
const none: TestContextInput = { local: keaLocal };

/** Everything a person reads of an outcome in the human report. */
const shown = (o: Outcome) => [o.message, ...(o.evidence ?? []), JSON.stringify(o.details), o.fix ?? ''].join('\n');

function assertNamesFailure(o: Outcome, failure: string, fixStart: RegExp | undefined) {
  const said = [o.message, ...(o.evidence ?? []), String((o.details as { cause?: unknown }).cause ?? '')].join('\n');
  assert.ok(said.includes(failure), `the failure is not named: ${shown(o)}`);
  assert.doesNotMatch(o.message, /\bgive\b/i, `advice to give a source: ${o.message}`);
  assert.doesNotMatch(o.fix ?? '', /^Give\b|--partner-source|--ldap\b.*or a/, `advice to give a source: ${o.fix}`);
  if (fixStart) assert.match(o.fix ?? '', fixStart, shown(o));
}

const run = (check: Check, input: TestContextInput) => check.run(makeContext(input));

describe('unread(): the one rule for sources given and failed', () => {
  it('names a failed server source, a refusal and a failed directory; a fix for each; nothing when none failed', () => {
    const u = unread({
      partner: { error: `partner source: ${REFUSED}`, failed: true },
      local: { facts: refusedFacts },
      directory: { error: `directory: ${LDAP_ERROR}` },
    });
    assert.deepEqual(u.causes, [`local source kea:${KEA_URL} refused: ${REFUSAL}`, `partner source: ${REFUSED}`, `directory: ${LDAP_ERROR}`]);
    assert.equal(
      u.fix,
      `Let the local server answer the commands it refused this user (kea:${KEA_URL}: ${REFUSAL}); make the partner source readable: ${REFUSED}; ` +
        `make the directory reachable and the bind work (--ldap, --ldap-bind-dn, LDAP_PASSWORD): ${LDAP_ERROR}. Then run again.`,
    );
    // No source given (factsOf's error without `failed`), or one that read fine: no cause, no fix.
    assert.deepEqual(unread({ partner: { error: 'no source for the partner server (use --partner-source)' }, local: { facts: keaLocal }, directory: {} }), {
      causes: [],
    });
  });
});

describe('a source given and failed is named, not advice to give one', () => {
  for (const check of [permissions, version, service, scopes, relationships]) {
    it(`${check.id}: unknown naming the connection refused, and the refusal; the fix addresses each`, async () => {
      const a = await run(check, failed);
      assert.equal(a.status, 'unknown', shown(a));
      const readable =
        /^Make the partner source readable: Kea version-get at http:\/\/127\.0\.0\.3:8000\/: connection refused \(nothing listens there\)\. Then run again\.$/;
      if (check.id === 'relationships') {
        assert.match(String((a.details as { partner?: unknown }).partner), /connection refused \(nothing listens there\)/);
        assert.match(a.fix ?? '', readable);
      } else assertNamesFailure(a, REFUSED, readable);

      const b = await run(check, refusing);
      assert.equal(b.status, 'unknown', shown(b));
      const answer = /^Let the partner server answer the commands it refused this user \(kea:http:\/\/127\.0\.0\.3:8000\/: version-get/;
      if (check.id === 'relationships') {
        assert.match(String((b.details as { partner?: unknown }).partner), /refused: version-get answered result 1/);
        assert.match(b.fix ?? '', answer);
      } else assertNamesFailure(b, REFUSAL, answer);
    });
  }

  it('identity: a partner source that could not be read is named, with the fix to make it readable', async () => {
    const o = await run(identity, failed);
    assert.equal(o.code, 'identity.source-unread');
    assertNamesFailure(o, REFUSED, /^Make the partner source readable: /);
  });

  it('identity: the refusal is the evidence and its fix, not "give a partner source that lists addresses"', async () => {
    const o = await run(identity, refusing);
    assert.equal(o.code, 'identity.no-address');
    assertNamesFailure(o, REFUSAL, /^Let the partner server answer the commands it refused/);
  });

  it('authorization: skipped naming the failed partner source, not "give --ldap"', async () => {
    const o = await run(authorization, {
      plan: { partnerSource: { kind: 'windows', host: '10.0.0.2' } },
      local: { ...winLocal, authorized: true },
      partnerFacts: probeError('collector: access denied'),
    });
    assert.equal(o.code, 'authorization.not-known');
    assert.equal(o.message, 'not determined for the partner server: a source given failed');
    assert.deepEqual(o.evidence, ['partner source: collector: access denied']);
  });

  it('static-address: skipped naming the failed sources, not "give a source that lists them"', async () => {
    const o = await run(staticAddress, failed);
    assert.equal(o.code, 'static-address.not-known');
    assert.equal(o.message, 'nothing tells how the servers got their addresses: a source given failed');
    assert.deepEqual(o.evidence, [`partner source: ${REFUSED}`]);
  });

  for (const check of [replication, dnsUpdates]) {
    it(`${check.id}: skipped naming the failed partner source; its fix makes it readable, not "give the collector's bundle"`, async () => {
      const windows: TestContextInput = {
        plan: { partnerSource: { kind: 'windows-json', path: 'dhcp2.json' }, localSource: { kind: 'windows-json', path: 'dhcp1.json' } },
        local: facts({ source: 'windows-json:dhcp1.json', scopes: [scope('10.0.10.0/24')], windows: {} }),
        partnerFacts: probeError('windows-json dhcp2.json: permission denied'),
      };
      const o = await run(check, windows);
      assert.equal(o.code, `${check.id}.not-known`, shown(o));
      assert.deepEqual(o.evidence, ['partner source: windows-json dhcp2.json: permission denied']);
      assert.equal(o.fix, 'Make the partner source readable: windows-json dhcp2.json: permission denied. Then run again.');
    });
  }

  it('scopes: a failed local source is named, and the fix says to make it readable (or give --scope)', async () => {
    const o = await run(scopes, { plan: keaPlan, local: probeError('inventory local.yaml: permission denied'), partnerFacts: keaLocal });
    assert.equal(o.code, 'scopes.not-known');
    assert.equal((o.details as { cause?: string }).cause, 'local source: inventory local.yaml: permission denied');
    assert.equal(o.fix, 'Make the local source readable: inventory local.yaml: permission denied. Then run again. Or give --scope.');
  });
});

describe('--ldap given and failed: the directory error, not "give --ldap"', () => {
  const ldap: TestContextInput = { plan: { ldap: LDAP }, local: winLocal, directory: probeError(LDAP_ERROR) };
  it('permissions: unknown naming the directory error; the fix addresses the bind', async () => {
    const o = await run(permissions, ldap);
    assert.equal(o.code, 'permissions.not-known');
    assertNamesFailure(
      o,
      `directory: ${LDAP_ERROR}`,
      /^Make the directory reachable and the bind work .*: LDAP 127\.0\.0\.1:389: connection refused\. Then run again\.$/,
    );
  });
  it('authorization: unknown naming the directory error', async () => {
    const o = await run(authorization, ldap);
    assert.equal(o.code, 'authorization.directory-unreadable');
    assert.ok(o.evidence?.includes(`directory: ${LDAP_ERROR}`), shown(o));
    assert.equal(
      o.fix,
      `Make the directory reachable and the bind work (--ldap, --ldap-bind-dn, LDAP_PASSWORD): ${LDAP_ERROR}. Then run again. Or drop --ldap.`,
    );
  });
  it('version: unknown naming the directory error beside the missing partner source', async () => {
    const o = await run(version, ldap);
    assert.equal(o.code, 'version.not-known');
    assertNamesFailure(o, `directory: ${LDAP_ERROR}`, /^Make the directory reachable/);
  });
});

describe('no source given: the advice stays as it was', () => {
  it('permissions', async () => {
    const o = await run(permissions, none);
    assert.equal(o.message, 'no source tells whether the user may administer the partner');
    assert.equal(o.fix, 'Give a live partner source that tells who may administer it (README: Fact sources).');
    const windows = await run(permissions, { local: winLocal });
    assert.equal(windows.fix, 'Give a directory with --ldap, or a partner source that tells who may administer it (README: Fact sources).');
  });
  it('version', async () => {
    const o = await run(version, { local: winLocal });
    assert.equal(o.fix, 'Give --partner-source (any source that tells the version: README, Fact sources), or a directory with --ldap.');
  });
  it('authorization', async () => {
    const o = await run(authorization, { local: { ...winLocal, authorized: true } });
    assert.equal(o.message, 'not determined for the partner server: give --ldap, or a source that tells (README: Fact sources)');
  });
  it('static-address', async () => {
    const o = await run(staticAddress, {});
    assert.equal(
      o.message,
      'nothing tells how the servers got their addresses: give a source that lists them (NetIPAddress, or staticAddress; README: Fact sources)',
    );
  });
  it('scopes', async () => {
    const o = await run(scopes, {});
    assert.equal(o.fix, 'Give --scope or --local-source.');
  });
  it('identity: a source that read fine and lists no address of its own gets the advice', async () => {
    const o = await run(identity, { plan: keaPlan, local: keaLocal, partnerFacts: facts({ source: `kea:${KEA_URL}`, platform: 'kea' }) });
    assert.equal(
      o.fix,
      "Give a partner source that lists the server's own addresses (a bundle with NetIPAddress, an inventory with addresses; README: Fact sources).",
    );
  });
});
