// Reads a user's text file in chunks and hands the decoded text to a sink, so a 120 MB Windows
// file never sits in memory whole (as bytes, as one string, or as a parsed tree).

import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../util/errors.js';

const MiB = 1024 * 1024;
export const DEFAULT_MAX_BYTES = 128 * MiB;
const CHUNK_BYTES = MiB;

export interface TextSink {
  /** The next piece of text (never split inside a character; the BOM is already dropped). */
  push(text: string): void;
  /** The text is complete. */
  end(): void;
  /**
   * After push() threw, the rest of the text still passes through here so that a problem which
   * outranks the first one can replace it: a DOCTYPE later in the file wins over a syntax error.
   * Decoding errors always win; they are found by reading on to the end.
   */
  drain?(text: string): void;
}

export interface StreamOptions {
  /** Refuse files larger than this many bytes (default 128 MiB). */
  maxBytes?: number;
  /** Bytes per read (tests use tiny chunks to exercise the seams). */
  chunkBytes?: number;
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';
const LABEL: Record<Encoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

// Read synchronously, as require() and the config file are: faster for a run's small files than
// through fs' thread pool (whose first use starts its threads), and without
// loading node:fs/promises. O_NONBLOCK: a FIFO opens at once and is then refused as not a regular
// file, instead of waiting for a writer. Between the chunks of a large file the event loop gets a
// turn, so a signal is still heard.
export async function streamTextFile(path: string, sink: TextSink, opts: StreamOptions = {}): Promise<void> {
  const file = openChecked(path, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  try {
    await pump(path, file.fd, file.size, sink, opts.chunkBytes ?? CHUNK_BYTES);
  } catch (err) {
    throw err instanceof InputError ? err : fsError(path, err);
  } finally {
    closeQuietly(file.fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // only read from: nothing to lose
  }
}

function openChecked(path: string, maxBytes: number): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fsError(path, err);
  }
  try {
    // Size comes from the open descriptor, so a file swapped after a path-based stat cannot
    // sneak past the limit.
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, not a file`);
    // A FIFO or device would block or never end; only regular files have a trustworthy size.
    if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
    if (info.size > maxBytes) {
      const [size, limit] = formatSizes(info.size, maxBytes);
      throw new InputError(`${path}: ${size} is larger than the ${limit} limit`);
    }
    return { fd, size: info.size };
  } catch (err) {
    closeQuietly(fd);
    throw err instanceof InputError ? err : fsError(path, err);
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Reads at most `size` bytes: a file that grows while we read cannot push us past the limit.
async function pump(path: string, fd: number, size: number, sink: TextSink, chunkBytes: number): Promise<void> {
  const buf = Buffer.allocUnsafe(Math.max(4, Math.min(chunkBytes, size)));
  let total = 0;
  let decoder: TextDecoder | undefined;
  let encoding: Encoding = 'utf-8';
  /** The decoder holds no unfinished UTF-8 sequence (the last byte it saw was ASCII). */
  let clean = true;
  let failure: unknown;
  let failed = false;
  const feed = (text: string): void => {
    if (text === '') return;
    if (!failed) {
      try {
        sink.push(text);
      } catch (err) {
        failed = true;
        failure = err;
      }
    } else {
      try {
        sink.drain?.(text);
      } catch (err) {
        failure = err;
      }
    }
  };
  const decode = (bytes: Buffer | undefined): string => {
    // ASCII is its own Latin-1: a plain copy, much faster than TextDecoder on a large bundle.
    if (bytes && encoding === 'utf-8' && clean && isAscii(bytes)) return bytes.toString('latin1');
    try {
      if (!bytes) return decoder!.decode();
      clean = bytes.length === 0 || bytes[bytes.length - 1]! < 0x80;
      return decoder!.decode(bytes, { stream: true });
    } catch {
      const why = encoding === 'utf-8' ? 'malformed byte sequence' : 'unpaired surrogate';
      throw new InputError(`${path}: invalid ${LABEL[encoding]} text: ${why}`);
    }
  };
  while (total < size) {
    // Filled whole (a short read is not the end): the first chunk's first bytes decide the encoding.
    let filled = 0;
    const want = Math.min(buf.length, size - total);
    while (filled < want) {
      const bytesRead = readSync(fd, buf, filled, want - filled, total + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled === 0) break;
    let bytes = buf.subarray(0, filled);
    if (decoder === undefined) {
      encoding = detectEncoding(bytes);
      checkStart(path, encoding, bytes);
      // The BOM is dropped here, not by the decoder: the ASCII path above bypasses the decoder,
      // which would otherwise take a later EF BB BF for the BOM it has not seen yet.
      decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
      bytes = bytes.subarray(BOM_BYTES[encoding](bytes));
    }
    total += filled;
    feed(decode(bytes));
    if (filled < want) break;
    if (total < size) await nextTurn();
  }
  if (decoder !== undefined) {
    if (encoding !== 'utf-8' && total % 2 !== 0) {
      throw new InputError(`${path}: invalid ${LABEL[encoding]} text: odd number of bytes (truncated file?)`);
    }
    feed(decode(undefined));
  }
  if (failed) throw failure;
  sink.end();
}

const BOM_BYTES: Record<Encoding, (bytes: Uint8Array) => number> = {
  'utf-8': (b) => (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0),
  'utf-16le': () => 2,
  'utf-16be': () => 2,
};

/** Text already in memory, fed as the file would be (same error precedence as streamTextFile). */
export function feedText(sink: TextSink, text: string | Iterable<string>): void {
  let failure: { error: unknown } | undefined;
  for (const chunk of typeof text === 'string' ? [text] : text) {
    if (chunk === '') continue;
    try {
      if (failure) sink.drain?.(chunk);
      else sink.push(chunk);
    } catch (error) {
      failure = { error };
    }
  }
  if (failure) throw failure.error;
  sink.end();
}

function detectEncoding(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function checkStart(path: string, encoding: Encoding, bytes: Uint8Array): void {
  if (encoding === 'utf-8' && bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) {
    // UTF-8 would "decode" this into NUL-riddled text and the parser would blame the content.
    throw new InputError(
      `${path}: looks like UTF-16 without a byte-order mark; save it as UTF-8 or as UTF-16 with a BOM`,
    );
  }
}

export function fsError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new InputError(`${path}: no such file`);
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path}: permission denied`);
    case 'EISDIR':
      return new InputError(`${path}: is a directory, not a file`);
    case 'ENOTDIR':
      return new InputError(`${path}: a parent of this path is not a directory`);
    case 'ELOOP':
      return new InputError(`${path}: too many symbolic links`);
    default: {
      const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
      return new InputError(`${path}: cannot read: ${code ?? detail}`);
    }
  }
}

/** Both sizes in one unit, precise enough that a size just over the limit does not read as equal. */
export function formatSizes(size: number, limit: number): [string, string] {
  const unit = limit >= MiB ? { div: MiB, name: 'MB' } : limit >= 1024 ? { div: 1024, name: 'KB' } : undefined;
  if (unit) {
    for (const digits of [0, 1]) {
      const a = (size / unit.div).toFixed(digits);
      const b = (limit / unit.div).toFixed(digits);
      if (a !== b) return [`${a} ${unit.name}`, `${b} ${unit.name}`];
    }
  }
  return [`${size} bytes`, `${limit} bytes`];
}

/**
 * Line and column (1-based, in UTF-16 units like lineColumn) across a text that arrives in
 * pieces: `base` is the offset of the current buffer's first character in the whole text.
 */
export class TextPosition {
  base = 0;
  private line = 1;
  private lineStart = 0;

  /** The buffer's first `cut` characters are being dropped: count their lines. */
  advance(text: string, cut: number): void {
    for (let i = text.indexOf('\n'); i !== -1 && i < cut; i = text.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = this.base + i + 1;
    }
    this.base += cut;
  }

  /** Lines of several buffer indexes (ascending) in one walk over the buffer. */
  linesOf(text: string, indexes: readonly number[]): number[] {
    const lines: number[] = [];
    let line = this.line;
    let nl = text.indexOf('\n');
    for (const at of indexes) {
      while (nl !== -1 && nl < at) {
        line++;
        nl = text.indexOf('\n', nl + 1);
      }
      lines.push(line);
    }
    return lines;
  }

  /** Line and column of buffer index `at`. */
  of(text: string, at: number): { line: number; column: number } {
    let line = this.line;
    let lineStart = this.lineStart;
    for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = this.base + i + 1;
    }
    return { line, column: this.base + at - lineStart + 1 };
  }
}
