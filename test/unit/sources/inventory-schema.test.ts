import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RelationshipSchema, ScopeSchema, relationshipIssues, scopeIssues } from '../../../src/sources/inventory-schema.js';
import { numRuns } from '../../helpers/property-files.js';

// The hand checks count an element's issues as zod reports them: a count of 0 is zod's "valid",
// and the count is what "(and N more)" adds up.

const zodCount = (schema: typeof ScopeSchema | typeof RelationshipSchema, item: unknown): number => {
  const r = schema.safeParse(item);
  return r.success ? 0 : r.error.issues.length;
};

/** Values that sit on each check's edges, and some that are simply wrong. */
const edgy = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    true,
    0,
    -0,
    1,
    -1,
    1.5,
    -1.5,
    2 ** 53,
    -(2 ** 53),
    2 ** 60,
    -(2 ** 60),
    Infinity,
    -Infinity,
    NaN,
    '',
    'x',
    '10.0.0.0/24',
    '10.0.0.1 - 10.0.0.9',
    '10.0.0.1-10.0.0.9',
    'a -b',
    ' a - b',
    '10.0.0.1',
    '010.0.0.1',
    [],
    ['10.0.0.1'],
    ['x', 5],
    {},
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 6 }),
);

const element = (keys: string[]) =>
  fc.oneof(
    fc.dictionary(fc.constantFrom(...keys, 'extra', 'Scope', '__proto__'), edgy, { maxKeys: 6 }),
    fc.record(Object.fromEntries(keys.map((k) => [k, edgy])), { requiredKeys: [] }),
    edgy,
  );

describe('inventory element checks count issues as zod does', () => {
  it('scopes', () => {
    fc.assert(
      fc.property(element(['scope', 'range', 'name', 'state', 'subnetId']), (item) => {
        assert.equal(scopeIssues(item), zodCount(ScopeSchema, item), JSON.stringify(item));
      }),
      { numRuns },
    );
  });

  it('relationships', () => {
    fc.assert(
      fc.property(element(['name', 'partner', 'mode', 'scopes']), (item) => {
        assert.equal(relationshipIssues(item), zodCount(RelationshipSchema, item), JSON.stringify(item));
      }),
      { numRuns },
    );
  });

  it('valid elements count 0', () => {
    assert.equal(scopeIssues({ scope: '10.0.0.0/24', range: '10.0.0.10 - 10.0.0.20', name: 'n', state: 'Active', subnetId: 7 }), 0);
    assert.equal(relationshipIssues({ name: 'r', partner: 'p', mode: 'hot-standby', scopes: ['10.0.0.0'] }), 0);
  });
});
