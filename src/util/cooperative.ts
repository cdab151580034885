// Parsers of large inputs written as generators: the parse is the same recursive descent as a plain
// function, but it `yield`s (nothing) every few thousand tokens. Run to the end at once
// (finishSync) it is the synchronous parser it was; run sliced (finishSliced), the event loop gets
// a turn after every ~SLICE_MS of work, so a SIGINT/SIGTERM handler runs while a 16 MiB
// dhcpd.conf or Kea config is parsed, and the parse stops at the next slice once the run's
// AbortSignal is aborted. The result is the same either way.

import { monotonicMs } from './elapsed.js';

/** A parse that pauses (yields undefined) now and then and returns its result. */
export type Sliced<T> = Generator<void, T, undefined>;

/** Work between two turns of the event loop: a signal waits at most about this long. */
export const SLICE_MS = 20;

/** Tokens between two pauses: a few milliseconds of parsing, so the clock is read rarely. */
export const TOKENS_PER_PAUSE = 4096;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Thrown when the run's signal stops a sliced parse; the run reports the interruption, not this. */
export class ParseInterrupted extends Error {
  constructor(what: string) {
    super(`${what}: interrupted`);
    this.name = 'ParseInterrupted';
  }
}

/** The whole parse, synchronously (tests, and callers outside a run). */
export function finishSync<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * The parse in slices of about SLICE_MS, a turn of the event loop between them. Once `signal`
 * is aborted it is abandoned (its `finally` blocks run) with a ParseInterrupted naming `what`.
 */
export async function finishSliced<T>(work: Sliced<T>, what: string, signal?: AbortSignal): Promise<T> {
  let sliceEnd = monotonicMs() + SLICE_MS;
  for (;;) {
    if (signal?.aborted) {
      work.return(undefined as T);
      throw new ParseInterrupted(what);
    }
    const step = work.next();
    if (step.done) return step.value;
    if (monotonicMs() >= sliceEnd) {
      await nextTurn();
      sliceEnd = monotonicMs() + SLICE_MS;
    }
  }
}
