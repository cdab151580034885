import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/context.js';
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
