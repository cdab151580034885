import { describe, it } from 'node:test';
import { relationships } from '../../../src/checks/relationships.js';
import { REL_LOCAL, REL_PARTNER, expectFail, expectStatus, rels } from '../../helpers/checks.js';
import { facts, makeContext } from '../../helpers/context.js';

describe('relationships check', () => {
  it('fails for a local server with 31 relationships', async () => {
    expectFail(await relationships.run(makeContext({ local: facts({ relationships: rels(31) }), partnerFacts: facts({ relationships: [] }) })), REL_LOCAL);
  });
  it('fails for a partner with 31 relationships', async () => {
    expectFail(
      await relationships.run(makeContext({ local: facts({ relationships: rels(3) }), partnerFacts: facts({ relationships: rels(31) }) })),
      REL_PARTNER,
    );
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
