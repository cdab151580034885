import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scopes } from '../../../src/checks/scopes.js';
import type { PairingPlan } from '../../../src/plan.js';
import { parseIPv4 } from '../../../src/net/ipv4.js';
import { parseScopeRequest } from '../../../src/net/scope.js';
import { SCOPES, expectFail, expectStatus, scope } from '../../helpers/checks.js';
import { facts, makeContext, probeError } from '../../helpers/context.js';

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
  it('does not pass a bare --scope it could not compare (no local source)', async () => {
    const out = await scopes.run(makeContext({ plan: req('10.0.0.0'), partnerFacts: facts({ scopes: [scope('10.0.0.0/24')] }) }));
    assert.notEqual(out.status, 'pass', out.message);
  });
  it('names every colliding partner scope in the message, also next to an exact match', async () => {
    const out = await scopes.run(
      makeContext({ local: facts({ scopes: [scope('10.0.0.0/24')] }), partnerFacts: facts({ scopes: [scope('10.0.0.0/24'), scope('10.0.0.192/26')] }) }),
    );
    expectStatus(out, 'fail');
    assert.ok(out.message.includes('10.0.0.192 mask 255.255.255.192'), out.message);
  });
});
