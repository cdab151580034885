import assert from 'node:assert/strict';
import { InputError } from '../../src/util/errors.js';

/** `fn` throws an InputError whose one-line message is exactly `message`. */
export function throwsInput(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

/** `fn` throws an InputError whose message is one line and contains every one of `parts`. */
export function throwsInputNaming(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" names ${part}`);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
}
