import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';

/** Runs per property: FC_RUNS, at least 10 000 by default. */
export const numRuns = Number(process.env.FC_RUNS ?? 10000);

/** A temp dir for one test file; `file(name, text)` (re)writes a file in it and returns its path. */
export function tempFiles(prefix: string): { dir: string; file: (name: string, text: string | Uint8Array) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `fc-${prefix}-`));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: InputError };

/** The value, or the InputError it threw; anything else thrown fails the property with that error. */
export function inputOr<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof InputError) return { ok: false, error: err };
    throw err;
  }
}

/**
 * Async inputOr. How long a call takes is the bench's to measure, not a test's: a call that hangs
 * is bounded by the test's own timeout.
 */
export async function inputOrAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { ok: false, error: err };
  }
}

/** An InputError's message is one line and names `what` (the option or the file). */
export function assertNames(error: InputError, what: string): void {
  assert.ok(error.message.includes(what), `"${error.message}" names ${what}`);
}

/** Process warnings emitted while `fn` runs (YAMLWarning goes to process.emitWarning by default). */
export async function warningsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (w: Error) => seen.push(`${w.name}: ${w.message.split('\n')[0]}`);
  process.on('warning', listener);
  try {
    await fn().catch(() => undefined);
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}
