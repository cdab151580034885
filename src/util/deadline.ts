import { ProbeError } from './errors.js';

/**
 * Settles with `work` or rejects with a 'timeout' ProbeError after `ms`, or 'aborted' when the
 * signal fires — whichever comes first. The timer never outlives the race.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(new ProbeError(`${what}: interrupted`, 'aborted')));
    const timer = setTimeout(() => finish(() => reject(new ProbeError(`${what}: no answer within ${ms} ms`, 'timeout'))), ms);
    let done = false;
    function finish(settle: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
