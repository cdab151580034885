import { bounded } from './bounded.js';

/**
 * Settles with `work` or rejects with a 'timeout' ProbeError after `ms`, or 'aborted' when the
 * signal fires — whichever comes first. The timer never outlives the race.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  // Observed even when the race is lost before it starts: a late rejection is no crash.
  work.catch(() => undefined);
  return bounded<T>({ label: what, timeoutMs: ms, signal }, (settle) => void work.then(settle.resolve, settle.reject));
}
