import { ParseInterrupted } from './cooperative.js';
import { decodeText } from './decode-text.js';
import { InputError } from './errors.js';
import { closeQuietly, inputName, openInput, readAt, readWhole, type ReadRules } from './input-file.js';
import { PipeReader, type InputDeadline } from './pipe-reader.js';

// The one way a file the user names is read: config and plan files, every source and its
// includes, key, password and CA files. Each is opened once and judged by its descriptor: a
// regular file by its size against the cap of its purpose (file-caps.ts), before a byte is read;
// a pipe or FIFO (`<(...)`) to its end, under the cap and the run's deadline; anything else
// (directory, device, socket) is refused at once. Every failure is one InputError naming the file.

export type { ReadRules } from './input-file.js';
export type { InputDeadline } from './pipe-reader.js';
export type GuardedRead = ReadRules & InputDeadline;

/** The default --timeout, for a reader called outside a run (tests, the library's own reads). */
export const DEFAULT_INPUT_DEADLINE: InputDeadline = { timeoutMs: 5000 };

const CHUNK_BYTES = 1024 * 1024;
const PIPE_CHUNK_BYTES = 64 * 1024;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The file in chunks, for the streaming readers. A chunk is a view into one reused buffer: use
 * it before asking for the next. Between the chunks of a large file the event loop gets a turn,
 * so a signal is still heard, and once `read.signal` is aborted no further chunk is read
 * (ParseInterrupted).
 */
export async function* guardedChunks(path: string, read: GuardedRead & { chunkBytes?: number }): AsyncGenerator<Buffer, void, undefined> {
  const input = openInput(path, read);
  try {
    if (input.kind === 'pipe') {
      const pipe = new PipeReader(input, read);
      const buf = Buffer.allocUnsafe(Math.min(read.chunkBytes ?? PIPE_CHUNK_BYTES, PIPE_CHUNK_BYTES));
      for (let chunk = await pipe.next(buf); chunk !== undefined; chunk = await pipe.next(buf)) yield chunk;
      return;
    }
    // Read synchronously, as require() does: faster than fs' thread pool for a run's few files.
    const buf = Buffer.allocUnsafe(Math.max(1, Math.min(read.chunkBytes ?? CHUNK_BYTES, input.size)));
    // Never past the size it had when opened: a file growing meanwhile cannot pass the cap.
    for (let at = 0; at < input.size; ) {
      const want = Math.min(buf.length, input.size - at);
      const n = readAt(input, buf, want, at);
      if (n === 0) return;
      at += n;
      yield buf.subarray(0, n);
      if (n < want) return;
      if (at < input.size) {
        await nextTurn();
        // Interrupted: the rest of the file is not read (the run reports the interruption).
        if (read.signal?.aborted) throw new ParseInterrupted(input.what);
      }
    }
  } finally {
    closeQuietly(input.fd);
  }
}

/** The whole file; `pipe` says it was a pipe or FIFO (read once: nobody else can read it again). */
export async function readGuarded(path: string, read: GuardedRead): Promise<{ bytes: Buffer; pipe: boolean }> {
  const input = openInput(path, read);
  try {
    if (input.kind === 'file') return { bytes: readWhole(input), pipe: false };
    const pipe = new PipeReader(input, read);
    const buf = Buffer.allocUnsafe(PIPE_CHUNK_BYTES);
    const chunks: Buffer[] = [];
    for (let chunk = await pipe.next(buf); chunk !== undefined; chunk = await pipe.next(buf)) chunks.push(Buffer.from(chunk));
    return { bytes: Buffer.concat(chunks), pipe: true };
  } finally {
    closeQuietly(input.fd);
  }
}

/** The whole file as text, decoded by its byte-order mark (decode-text.ts). */
export async function readGuardedText(path: string, read: GuardedRead): Promise<string> {
  return decodeText((await readGuarded(path, read)).bytes, inputName(path, read));
}

/**
 * For the parsers that meet an include in the middle of a synchronous parse: a regular file only,
 * since waiting for a pipe there would stop the event loop. Named files are never pipes in practice.
 */
export function readGuardedSync(path: string, rules: ReadRules): Buffer {
  const input = openInput(path, rules);
  try {
    if (input.kind === 'pipe') throw new InputError(`${input.what}: is a pipe or FIFO; only a regular file can be read here`);
    return readWhole(input);
  } finally {
    closeQuietly(input.fd);
  }
}
