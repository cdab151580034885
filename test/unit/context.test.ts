import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { createContext, probeReach } from '../../src/context.js';
import { makePlan, fixturePath } from '../helpers/context.js';

describe('createContext with a shared memo', () => {
  const spec = { kind: 'inventory' as const, path: fixturePath('inventory/partner-ok.yaml') };
  const signal = new AbortController().signal;

  it("keys facts by server, not role: the same server's facts are one object across contexts", async () => {
    const memo = new Map<string, Promise<unknown>>();
    const a = createContext(makePlan({ localSource: spec }), signal, { memo, servers: { local: 'hub', partner: 'b1' } });
    const b = createContext(makePlan({ partnerSource: spec }), signal, { memo, servers: { local: 'b2', partner: 'hub' } });
    const fromA = await a.facts('local');
    assert.ok(fromA);
    assert.equal(await b.facts('partner'), fromA);
    assert.equal(await b.facts('local'), undefined, 'b2 has no source');
  });

  it('without one, each context reads its own', async () => {
    const a = createContext(makePlan({ localSource: spec }), signal);
    const b = createContext(makePlan({ localSource: spec }), signal);
    assert.notEqual(await a.facts('local'), await b.facts('local'));
  });
});

describe('probeReach', () => {
  it('asks no ICMP when TCP accepts or refuses at once, and says which', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const open = (server.address() as AddressInfo).port;
    try {
      const accepted = await probeReach('127.0.0.1', open, 2000);
      assert.equal(accepted.tcp.ok, true);
      assert.equal(accepted.tcpAnswered, true);
      assert.equal(accepted.icmp, undefined);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // The same port, closed now: a refusal is the host's own answer too.
    const refused = await probeReach('127.0.0.1', open, 2000);
    assert.equal(refused.tcp.ok, false);
    assert.equal(refused.tcpAnswered, true);
    assert.equal(refused.icmp, undefined);
  });

  // A partner that never answers TCP gets ICMP too: hostile-tcp.test.ts shows it on a silent address.
});
