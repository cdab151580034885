import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourWanted, redrawAllowed } from '../../../src/util/colour-env.js';

describe('colour and redrawing from the environment', () => {
  it('NO_COLOR (non-empty) beats FORCE_COLOR; FORCE_COLOR=0 and TERM=dumb turn a terminal off', () => {
    assert.equal(colourWanted({}, true), true);
    assert.equal(colourWanted({}, false), false);
    assert.equal(colourWanted({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
    assert.equal(colourWanted({ NO_COLOR: '' }, true), true);
    assert.equal(colourWanted({ FORCE_COLOR: '0' }, true), false);
    assert.equal(colourWanted({ FORCE_COLOR: '1' }, false), true);
    assert.equal(colourWanted({ TERM: 'dumb' }, true), false);
  });
  it('no progress line for CI, TERM=dumb or FORCE_COLOR=0', () => {
    assert.equal(redrawAllowed({}), true);
    assert.equal(redrawAllowed({ CI: 'true' }), false);
    assert.equal(redrawAllowed({ TERM: 'dumb' }), false);
    assert.equal(redrawAllowed({ FORCE_COLOR: '0' }), false);
  });
});
