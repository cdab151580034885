import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wrapLine, wrapText } from '../../../src/report/wrap.js';

describe('wrap', () => {
  it('leaves short lines and an unknown width alone', () => {
    assert.deepEqual(wrapLine('    short', 80), ['    short']);
    const long = 'word '.repeat(40).trim();
    assert.equal(wrapText(long, undefined), long);
  });

  it('continues a long line under its indent plus two, never past the width', () => {
    const lines = wrapLine(`    · ${'abcdefghi '.repeat(12).trim()}`, 40);
    assert.ok(lines.length > 2);
    for (const l of lines) assert.ok(l.length <= 40, l);
    for (const l of lines.slice(1)) assert.match(l, /^ {6}\S/);
  });

  it('a check head continues at four columns, a numbered fix under its text; colour codes take no room', () => {
    assert.match(wrapLine(`✔ version  ${'x '.repeat(45)}`, 40)[1]!, /^ {4}x/);
    assert.match(wrapLine(`  12. time: ${'y '.repeat(40)}`, 40)[1]!, /^ {6}y/);
    const red = `\x1b[31m${'z'.repeat(30)}\x1b[39m`;
    assert.deepEqual(wrapLine(red, 30), [red]);
  });
});
