import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ip } from '../../../src/checks/ip.js';
import { expectFail, expectStatus, ipMessage } from '../../helpers/checks.js';
import { facts, makeContext } from '../../helpers/context.js';

describe('ip check', () => {
  it('fails for 300.1.2.3 with the address in the message', async () => {
    expectFail(await ip.run(makeContext({ plan: { partner: '300.1.2.3' } })), 'The specified IP address 300.1.2.3 is invalid.');
  });
  for (const address of ['0.0.0.0', '255.255.255.255', '224.0.0.5', '240.0.0.1']) {
    it(`fails for ${address}`, async () => {
      expectFail(await ip.run(makeContext({ plan: { partner: address } })), ipMessage(address));
    });
  }
  it("fails for the local server's own address", async () => {
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
