import { writeSync } from 'node:fs';

// stdout as a shell uses it: `| head -1` closes the pipe early (EPIPE: the reader has what it
// wanted, so that is quiet), `> /dev/full` cannot take the bytes (ENOSPC: that is said once).
// Text goes straight to fd 1 until a write would block (EAGAIN): creating process.stdout for a
// pipe costs start-up time, and its asynchronous write a turn of the event loop. From
// then on everything goes through the stream, in order, with a listener that keeps an 'error'
// event from crashing with a stack trace.

let first: NodeJS.ErrnoException | undefined;
let reported = false;
let stream: NodeJS.WriteStream | undefined;

function stdoutStream(): NodeJS.WriteStream {
  if (!stream) {
    stream = process.stdout;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      first ??= err;
    });
  }
  return stream;
}

/**
 * Writes `text` and waits until it is handed to the system; resolves to the cause when stdout
 * cannot be written (a closed pipe is not a failure), once: a second call says nothing new.
 * `writeStdout('')` waits for what is still queued and tells whether anything was lost.
 */
export function writeStdout(text: string): Promise<string | undefined> {
  return new Promise((resolve) => send(text, (err) => resolve(failure(err))));
}

/**
 * Writes `text` without waiting (commander's help is written synchronously); a failure is kept
 * for the next writeStdout() to tell, as main's last `writeStdout('')` does.
 */
export function queueStdout(text: string): void {
  send(text, () => undefined);
}

function send(text: string, done: (err: NodeJS.ErrnoException | undefined) => void): void {
  let rest: Buffer | string = text;
  if (stream === undefined) {
    const left = writeDirect(text);
    if (left === undefined) return done(undefined);
    rest = left;
  }
  const out = stdoutStream();
  try {
    if (out.destroyed) done(undefined);
    else out.write(rest, (err) => done(err ?? undefined));
  } catch (err) {
    done(err as NodeJS.ErrnoException);
  }
}

/** What fd 1 takes now; the rest when it would block (EAGAIN); undefined when all went or it failed (kept in `first`). */
function writeDirect(text: string): Buffer | undefined {
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return bytes.subarray(at);
      first ??= err as NodeJS.ErrnoException;
      return undefined;
    }
  }
  return undefined;
}

function failure(err: NodeJS.ErrnoException | undefined): string | undefined {
  const cause = first ?? err;
  if (!cause || cause.code === 'EPIPE' || reported) return undefined;
  reported = true;
  return cause.code ?? cause.message;
}
