import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identity } from '../../../src/checks/identity.js';
import { facts, makeContext } from '../../helpers/context.js';

const spec = (path: string) => ({ kind: 'inventory' as const, path });

describe('identity check', () => {
  const plan = { localSource: spec('/x/local.yaml'), partnerSource: spec('/x/partner.yaml') };
  it('passes when the partner source names the partner address as its own', async () => {
    const out = await identity.run(makeContext({ plan, local: facts({ name: 'A' }), partnerFacts: facts({ name: 'B', addresses: ['10.0.0.2'] }) }));
    assert.equal(out.code, 'identity.distinct');
  });
  it('fails for the same file on both sides, and for the same server name', async () => {
    const same = await identity.run(
      makeContext({ plan: { localSource: spec('/x/a.yaml'), partnerSource: spec('/x/../x/a.yaml') }, local: facts(), partnerFacts: facts() }),
    );
    assert.equal(same.code, 'identity.same-server');
    const named = await identity.run(makeContext({ plan, local: facts({ name: 'DHCP1' }), partnerFacts: facts({ name: 'dhcp1', addresses: ['10.0.0.2'] }) }));
    assert.equal(named.code, 'identity.same-server');
    assert.equal(named.status, 'fail');
  });
  it('warns, naming both, when the partner source gives other addresses; unknown when it gives none', async () => {
    const other = await identity.run(makeContext({ plan, local: facts({ name: 'A' }), partnerFacts: facts({ name: 'B', addresses: ['10.9.9.9'] }) }));
    assert.equal(other.code, 'identity.address-mismatch');
    assert.match(other.evidence!.join('\n'), /10\.0\.0\.2 is not among .*10\.9\.9\.9/);
    const none = await identity.run(makeContext({ plan, local: facts({ name: 'A' }), partnerFacts: facts({ name: 'B' }) }));
    assert.equal(none.status, 'unknown');
    assert.equal(none.code, 'identity.no-address');
  });
  it('skips without a partner source', async () => {
    assert.equal((await identity.run(makeContext({}))).code, 'identity.no-partner-source');
  });
});
