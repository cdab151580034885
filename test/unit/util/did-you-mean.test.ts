import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didYouMean } from '../../../src/util/did-you-mean.js';
import { decodeText } from '../../../src/util/decode-text.js';
import { InputError } from '../../../src/util/errors.js';

describe('didYouMean', () => {
  const keys = ['partner', 'maxTimeSkew', 'timeout', 'failoverPort', 'localSource', 'partnerSource', 'color'];
  it('finds typos, swaps and kebab-case spellings', () => {
    assert.equal(didYouMean('maxTimeSkw', keys), 'maxTimeSkew');
    assert.equal(didYouMean('timeuot', keys), 'timeout');
    assert.equal(didYouMean('max-time-skew', keys), 'maxTimeSkew');
    assert.equal(didYouMean('partnersource', keys), 'partnerSource');
  });
  it('offers nothing for a word that is not close', () => {
    assert.equal(didYouMean('certificate', keys), undefined);
    assert.equal(didYouMean('x', keys), undefined);
    assert.equal(didYouMean('anything', []), undefined);
  });
});

describe('decodeText', () => {
  const text = 'partner: dhcp2 # é ✓';
  it('decodes by the byte-order mark, and UTF-8 without one', () => {
    assert.equal(decodeText(Buffer.from(text), 'f'), text);
    assert.equal(decodeText(Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(text)]), 'f'), text);
    assert.equal(decodeText(Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le')]), 'f'), text);
    assert.equal(decodeText(Buffer.concat([Buffer.of(0xfe, 0xff), Buffer.from(text, 'utf16le').swap16()]), 'f'), text);
  });
  it('refuses malformed text naming the file and encoding', () => {
    assert.throws(
      () => decodeText(Buffer.of(0x61, 0xff, 0x62), 'c.yaml'),
      (e: unknown) => e instanceof InputError && e.message === 'c.yaml: invalid UTF-8 text: malformed byte sequence',
    );
    assert.throws(
      () => decodeText(Buffer.of(0xff, 0xfe, 0x61), 'c.yaml'),
      (e: unknown) => e instanceof InputError && e.message === 'c.yaml: invalid UTF-16LE text: odd number of bytes (truncated file?)',
    );
  });
});
