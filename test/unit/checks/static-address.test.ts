import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { staticAddress } from '../../../src/checks/static-address.js';
import type { InterfaceAddress } from '../../../src/facts.js';
import { facts, makeContext } from '../../helpers/context.js';

const a = (address: string, origin: InterfaceAddress['origin'], iface?: string): InterfaceAddress => ({
  address,
  origin,
  raw: origin,
  ...(iface ? { interface: iface } : {}),
});
const RECREATE = "Do it before configuring failover: changing a failover server's address later means deleting and recreating its failover relationships.";

describe('static-address', () => {
  it('warns naming a leased server address, not the loopback or link-local ones, with the fix and the note', async () => {
    const out = await staticAddress.run(
      makeContext({
        local: facts({ interfaceAddresses: [a('10.0.0.1', 'manual', 'Ethernet')] }),
        partnerFacts: facts({ interfaceAddresses: [a('10.0.0.2', 'dhcp', 'Ethernet'), a('169.254.1.1', 'dhcp'), a('127.0.0.1', 'well-known')] }),
      }),
    );
    assert.equal(out.code, 'static-address.dhcp-leased');
    assert.equal(out.status, 'warn');
    assert.equal(out.message, "DHCP servers should be configured with static IP addresses. The partner server's 10.0.0.2 (Ethernet) was leased by DHCP.");
    assert.ok(out.fix?.startsWith('Give it a static address: Set-NetIPInterface'), out.fix);
    assert.ok(out.fix?.endsWith(RECREATE), out.fix);
  });

  it('names both servers when both are leased, and takes an inventory staticAddress', async () => {
    const out = await staticAddress.run(
      makeContext({
        local: facts({ platform: 'other', staticAddress: false }),
        partnerFacts: facts({ platform: 'other', interfaceAddresses: [a('10.0.0.2', 'dhcp'), a('10.0.1.2', 'dhcp')] }),
      }),
    );
    assert.equal(
      out.message,
      "DHCP servers should be configured with static IP addresses. The local server's address was leased by DHCP; the partner server's 10.0.0.2, 10.0.1.2 were leased by DHCP.",
    );
    assert.equal(out.fix, `Give the server a static IPv4 address (not a DHCP lease). ${RECREATE}`);
  });

  it('passes when every server address is manual, saying which server is not known', async () => {
    const both = await staticAddress.run(
      makeContext({ local: facts({ staticAddress: true }), partnerFacts: facts({ interfaceAddresses: [a('10.0.0.2', 'manual'), a('169.254.1.1', 'dhcp')] }) }),
    );
    assert.equal(both.code, 'static-address.all-static');
    assert.equal(both.message, "the local and partner servers' addresses are static");
    const one = await staticAddress.run(makeContext({ local: facts({}), partnerFacts: facts({ interfaceAddresses: [a('10.0.0.2', 'manual')] }) }));
    assert.equal(one.message, "the partner server's addresses are static (the local server's are not known)");
  });

  it('skips when nothing tells (no source, or only loopback and link-local addresses)', async () => {
    const out = await staticAddress.run(makeContext({ partnerFacts: facts({ interfaceAddresses: [a('127.0.0.1', 'well-known')] }) }));
    assert.equal(out.code, 'static-address.not-known');
    assert.equal(out.status, 'skip');
  });
});
