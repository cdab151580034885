import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneLine } from '../../../src/util/one-line.js';

describe('oneLine', () => {
  it('joins lines and shows control characters as \\xNN', () => {
    assert.equal(oneLine('a\n  b\x1b]0;t\x07 c\x9b'), 'a b\\x1b]0;t\\x07 c\\x9b');
  });
  it('cuts a long quoted value in its middle and keeps the reason after it', () => {
    const text = `--timeout: duration "${'9'.repeat(900)}s" must be a finite number of seconds (at most 24h)`;
    const line = oneLine(text);
    assert.ok(line.length <= 500, `${line.length}`);
    assert.ok(line.startsWith('--timeout: duration "999'));
    assert.ok(line.endsWith('9s" must be a finite number of seconds (at most 24h)'));
    assert.match(line, /…\(\d+ characters cut\)…/);
  });
  it('cuts at the end when no quoted value can make room', () => {
    const line = oneLine('x'.repeat(800));
    assert.equal(line.length, 500);
    assert.ok(line.endsWith('…'));
  });
});
