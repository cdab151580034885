import { ProbeError } from './errors.js';

/** How long an operation may take, who may stop it, and what it fails with then. */
export interface Bound {
  /** Names the operation in the default errors: "<label>: no answer within <ms> ms", "<label>: interrupted". */
  label: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Built when the time is up, so it can say what the operation was still waiting for. */
  timeoutError?: () => Error;
  abortError?: () => Error;
}

/** The default errors of a bound operation, the same for bounded() and sharedBound(). */
const noAnswer = (label: string, timeoutMs: number) => new ProbeError(`${label}: no answer within ${timeoutMs} ms`, 'timeout');
const interrupted = (label: string) => new ProbeError(`${label}: interrupted`, 'aborted');

export interface Settle<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
  /** The outcome is decided; the promise may still wait for the cleanup to finish. */
  readonly settled: boolean;
}

/** Undoes what the operation set up (its socket, its own timers); a promise is waited for. */
export type Cleanup = () => unknown;

/**
 * Runs `start` under a deadline and an AbortSignal. The first outcome wins (a reply, an error,
 * the timeout, the abort); the timer and the abort listener are gone and every cleanup has run
 * once before the promise settles, so a caller never sees a socket or timer outlive the call.
 * An already aborted signal rejects without calling `start`.
 */
export function bounded<T>(bound: Bound, start: (settle: Settle<T>, onCleanup: (fn: Cleanup) => void) => void): Promise<T> {
  const { label, timeoutMs, signal } = bound;
  const aborted = bound.abortError ?? (() => interrupted(label));
  const timedOut = bound.timeoutError ?? (() => noAnswer(label, timeoutMs));
  if (signal?.aborted) return Promise.reject(aborted());

  return new Promise<T>((resolve, reject) => {
    const cleanups: Cleanup[] = [];
    let settled = false;

    const finish = (settleOuter: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const pending = cleanups.splice(0).flatMap(run);
      // Settle in the same turn when nothing needs waiting for, as the hand-written versions did.
      if (pending.length === 0) settleOuter();
      else void Promise.allSettled(pending).then(settleOuter);
    };

    const settle: Settle<T> = {
      resolve: (value) => finish(() => resolve(value)),
      reject: (err) => finish(() => reject(err)),
      get settled() {
        return settled;
      },
    };
    const onAbort = (): void => settle.reject(aborted());
    const timer = setTimeout(() => settle.reject(timedOut()), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    const onCleanup = (fn: Cleanup): void => {
      // Registered after the outcome (by a late callback): run it now, nothing will later.
      if (settled) run(fn);
      else cleanups.push(fn);
    };
    try {
      start(settle, onCleanup);
    } catch (err) {
      settle.reject(err);
    }
  });
}

/** The cleanup's promise, if it returned one; a cleanup that fails must not hide the outcome. */
function run(cleanup: Cleanup): Promise<unknown>[] {
  try {
    const done = cleanup();
    return done instanceof Promise ? [done.catch(() => undefined)] : [];
  } catch {
    return [];
  }
}

/** Many operations started together under one bound: see sharedBound(). */
export interface SharedBound {
  /** `work`, or the ProbeError bounded() would give, naming `label`, once the bound is up or the signal fires. */
  race<T>(work: Promise<T>, label: string): Promise<T>;
  /** Ends the timer and the abort listener: call once every race is decided. */
  clear(): void;
}

const TIMED_OUT = Symbol('timed out');
const ABORTED = Symbol('aborted');

/**
 * One timer and one abort listener for operations that start at the same moment under the same
 * bound (a run's checks), where bounded() would set up one of each per operation: on a short run
 * those timers and listeners cost more than the checks' own work. The bound is counted from this
 * call, so work started later in a race (a check's second step) ends at the same moment.
 */
export function sharedBound(timeoutMs: number, signal?: AbortSignal): SharedBound {
  let stop!: (why: symbol) => void;
  const over = new Promise<never>((_resolve, reject) => (stop = reject));
  // Nobody may be racing when it fires; that is no unhandled rejection.
  over.catch(() => undefined);
  const onAbort = (): void => stop(ABORTED);
  const timer = setTimeout(() => stop(TIMED_OUT), timeoutMs);
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    race<T>(work: Promise<T>, label: string): Promise<T> {
      work.catch(() => undefined);
      const labelled = (why: unknown): never => {
        if (why === TIMED_OUT) throw noAnswer(label, timeoutMs);
        if (why === ABORTED) throw interrupted(label);
        throw why;
      };
      if (signal?.aborted) return Promise.reject(ABORTED).catch(labelled);
      return Promise.race([work, over]).catch(labelled);
    },
    clear(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
