import { readSync } from 'node:fs';
import { bounded } from './bounded.js';
import { monotonicMs } from './elapsed.js';
import { InputError } from './errors.js';
import { sizeText } from './file-caps.js';
import { fsProblem, type OpenInput } from './input-file.js';

/** How long a pipe or FIFO may take to deliver all of it (the run's --timeout), and who may stop it. */
export interface InputDeadline {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** Waits between reads that found nothing grow to this: a writer is noticed within it. */
const MAX_POLL_MS = 32;

/**
 * Reads a pipe or FIFO opened O_NONBLOCK, polling: a read that would block says EAGAIN and is
 * tried again on a timer, so the event loop (and a SIGINT or SIGTERM handler) is never held.
 * Until a writer has opened it a FIFO reads as empty, so "empty" means the end only after a
 * writer was seen (EAGAIN or data); a FIFO nobody writes to ends at the deadline.
 */
export class PipeReader {
  private writerSeen = false;
  private total = 0;
  private readonly endsAt: number;

  constructor(
    private readonly input: OpenInput,
    private readonly deadline: InputDeadline,
  ) {
    this.endsAt = monotonicMs() + deadline.timeoutMs;
  }

  /** The next bytes, as a view into `buf`, or undefined at the end. */
  next(buf: Buffer): Promise<Buffer | undefined> {
    const { fd, cap, what } = this.input;
    const { timeoutMs, signal } = this.deadline;
    const timeoutError = () =>
      new InputError(
        this.writerSeen
          ? `${what}: the pipe did not end within ${timeoutMs} ms (${this.total} bytes arrived)`
          : `${what}: nothing arrived within ${timeoutMs} ms (a pipe or FIFO with no writer?)`,
      );
    const bound = { label: what, timeoutMs: Math.max(0, this.endsAt - monotonicMs()), signal, timeoutError };
    return bounded<Buffer | undefined>(bound, (settle, onCleanup) => {
      let timer: NodeJS.Timeout | undefined;
      let wait = 1;
      onCleanup(() => clearTimeout(timer));
      const attempt = (): void => {
        let n = -1;
        try {
          // One byte past the cap is enough to know it is too big.
          n = readSync(fd, buf, 0, Math.min(buf.length, cap + 1 - this.total), null);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return settle.reject(new InputError(`${what}: ${fsProblem(err)}`));
          this.writerSeen = true;
        }
        if (n > 0) {
          this.writerSeen = true;
          this.total += n;
          if (this.total > cap) return settle.reject(new InputError(`${what}: more than the ${sizeText(cap)} limit arrived through the pipe`));
          return settle.resolve(buf.subarray(0, n));
        }
        if (n === 0 && this.writerSeen) return settle.resolve(undefined);
        timer = setTimeout(attempt, wait);
        wait = Math.min(2 * wait, MAX_POLL_MS);
      };
      attempt();
    });
  }
}
