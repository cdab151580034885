import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dns } from '../../../src/checks/dns.js';
import { DNS, expectFail, expectStatus } from '../../helpers/checks.js';
import { makeContext } from '../../helpers/context.js';

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
