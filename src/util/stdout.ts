import { writeSync } from 'node:fs';

// stdout as a shell uses it: `| head -1` closes the pipe early (EPIPE: the reader has what it
// wanted, so that is quiet), `> /dev/full` cannot take the bytes (ENOSPC: that is said once).
// Without a listener either one is an 'error' event that crashes with a stack trace.

let first: NodeJS.ErrnoException | undefined;
let reported = false;
let guarded = false;

export function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    first ??= err;
  });
}

/**
 * Writes `text` and waits until it is handed to the system; resolves to the cause when stdout
 * cannot be written (a closed pipe is not a failure), once: a second call says nothing new.
 */
export function writeStdout(text: string): Promise<string | undefined> {
  guardStdout();
  return new Promise((resolve) => {
    const done = (err?: Error | null) => resolve(failure(err ?? undefined));
    try {
      if (process.stdout.destroyed) done();
      else process.stdout.write(text, done);
    } catch (err) {
      done(err as Error);
    }
  });
}

/**
 * writeStdout for a few bytes written straight to fd 1, without creating process.stdout (a tty or
 * pipe stream costs more than the rest of `--version`). A pipe that cannot take them now (EAGAIN)
 * gets them through the stream after all.
 */
export async function writeStdoutDirect(text: string): Promise<string | undefined> {
  try {
    writeSync(1, text);
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return writeStdout(text);
    return failure(err as NodeJS.ErrnoException);
  }
}

function failure(err: NodeJS.ErrnoException | undefined): string | undefined {
  const cause = first ?? err;
  if (!cause || cause.code === 'EPIPE' || reported) return undefined;
  reported = true;
  return cause.code ?? cause.message;
}
