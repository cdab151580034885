import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plannedName, plannedRelationships, withPlanned } from '../../../src/plan-file/budget.js';
import type { ServerFacts } from '../../../src/facts.js';

const PAIRINGS = [
  { local: 'hub', partner: 'b1' },
  { local: 'b2', partner: 'hub' },
  { local: 'b1', partner: 'b2' },
  { local: 'hub', partner: 'b3' },
];
const ADDRESSES: Record<string, string> = { hub: '10.0.0.1', b1: '10.1.0.1', b2: '10.2.0.1', b3: '10.3.0.1' };
const address = (s: string) => ADDRESSES[s]!;
const SCOPES = [['10.1.10.0'], ['10.2.10.0', '10.2.20.0'], [], ['10.3.10.0']];

describe('plannedRelationships', () => {
  it("counts only the earlier pairings on that server, either role, naming the other server's address", () => {
    assert.deepEqual(plannedRelationships(PAIRINGS, 0, 'hub', address, SCOPES), []);
    assert.deepEqual(plannedRelationships(PAIRINGS, 3, 'hub', address, SCOPES), [
      { name: 'planned: hub-b1', partner: '10.1.0.1', scopeIds: ['10.1.10.0'] },
      { name: 'planned: b2-hub', partner: '10.2.0.1', scopeIds: ['10.2.10.0', '10.2.20.0'] },
    ]);
    assert.deepEqual(plannedRelationships(PAIRINGS, 3, 'b3', address, SCOPES), []);
    assert.deepEqual(
      plannedRelationships(PAIRINGS, 3, 'b2', address, SCOPES).map((r) => r.name),
      ['planned: b2-hub', 'planned: b1-b2'],
    );
  });

  it('never counts the pairing itself or a later one', () => {
    assert.deepEqual(plannedRelationships(PAIRINGS, 1, 'b2', address, SCOPES), []);
    assert.equal(plannedName(PAIRINGS[3]!), 'planned: hub-b3');
  });
});

describe('withPlanned', () => {
  const facts: ServerFacts = { source: 'inventory:hub.yaml', platform: 'windows', relationships: [{ name: 'old', scopeIds: ['10.9.0.0'] }] };
  const planned = plannedRelationships(PAIRINGS, 2, 'hub', address, SCOPES);

  it('adds the planned relationships after the existing ones, leaving the shared facts untouched', () => {
    const out = withPlanned(facts, planned)!;
    assert.deepEqual(
      out.relationships!.map((r) => r.name),
      ['old', 'planned: hub-b1', 'planned: b2-hub'],
    );
    assert.deepEqual(
      facts.relationships!.map((r) => r.name),
      ['old'],
    );
    assert.notEqual(out, facts);
  });

  it('a source that lists no relationships stays uncounted; nothing planned returns the same facts', () => {
    const unknown: ServerFacts = { source: 'x', platform: 'other' };
    assert.equal(withPlanned(unknown, planned), unknown);
    assert.equal(withPlanned(facts, []), facts);
    assert.equal(withPlanned(undefined, planned), undefined);
  });
});
