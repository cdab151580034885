import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { haRulesErrors } from '../../../../src/platforms/kea/ha-versions.js';
import type { KeaHaRelationship } from '../../../../src/sources/kea/types.js';

const rel = (me: string, other: string, port: number): KeaHaRelationship => ({
  thisServerName: me,
  mode: 'hot-standby',
  peers: [
    { name: me, url: `http://127.0.0.1:${port}/`, role: 'primary' },
    { name: other, url: `http://127.0.0.2:${port}/`, role: 'standby' },
  ],
});

describe('HA rules by version', () => {
  it('two hot-standby relationships: before deploy without --kea-version, Kea 2.2 alone refuses them, and says so', () => {
    const rels = [rel('hub', 'b1', 8001), rel('hub2', 'b2', 8002)];
    const errors = haRulesErrors(rels, undefined);
    assert.ok(errors.length > 0);
    assert.ok(
      errors.every((e) => e.who === 'Kea 2.2'),
      JSON.stringify(errors),
    );
    assert.deepEqual(haRulesErrors(rels, { major: 2, minor: 6 }), []);
    assert.equal(haRulesErrors(rels, { major: 2, minor: 2 })[0]?.who, 'Kea');
  });
  it('one healthy relationship: no version refuses it', () => {
    assert.deepEqual(haRulesErrors([rel('server1', 'server2', 8001)], undefined), []);
  });
});
