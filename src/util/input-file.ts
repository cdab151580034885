import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.js';
import { escapeControl } from './escape.js';
import { FILE_CAPS, formatSizes, type FilePurpose } from './file-caps.js';

/** What a file is read for (its cap), and how errors name it. */
export interface ReadRules {
  purpose: FilePurpose;
  /** A lower cap than the purpose's: a parser's own limit, a test. */
  maxBytes?: number;
  /** Goes before the file's name in every error: the option or statement that named the file. */
  label?: string;
  /** How errors name the file; default: the path. */
  name?: string;
}

/** An open file, classified by its descriptor: a regular file of known size, or a pipe or FIFO. */
export interface OpenInput {
  fd: number;
  kind: 'file' | 'pipe';
  /** A regular file's size when opened; what is read of it never goes beyond. */
  size: number;
  cap: number;
  /** How every error about it starts: "label: name", control characters escaped. */
  what: string;
}

export function inputName(path: string, rules: ReadRules): string {
  const name = escapeControl(rules.name ?? path);
  return rules.label === undefined ? name : `${escapeControl(rules.label)}: ${name}`;
}

/**
 * Opens and classifies in one step. O_NONBLOCK: open(2) of a FIFO without a writer would wait for
 * one, with the whole process stuck in it. The checks use the descriptor (fstat), so what is read
 * is what was checked, however the path changes meanwhile.
 */
export function openInput(path: string, rules: ReadRules): OpenInput {
  const what = inputName(path, rules);
  const cap = Math.min(rules.maxBytes ?? Infinity, FILE_CAPS[rules.purpose]);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw new InputError(`${what}: ${fsProblem(err)}`);
  }
  try {
    const info = fstatSync(fd);
    if (info.isFile()) {
      if (info.size > cap) {
        const [size, limit] = formatSizes(info.size, cap);
        throw new InputError(`${what}: ${size} is larger than the ${limit} limit`);
      }
      return { fd, kind: 'file', size: info.size, cap, what };
    }
    if (info.isFIFO()) return { fd, kind: 'pipe', size: 0, cap, what };
    // A device never ends (/dev/zero) or blocks (a terminal); a socket is no file either.
    throw new InputError(`${what}: ${info.isDirectory() ? 'is a directory' : info.isSocket() ? 'is a socket' : 'is a device'}, not a file`);
  } catch (err) {
    closeQuietly(fd);
    throw err instanceof InputError ? err : new InputError(`${what}: ${fsProblem(err)}`);
  }
}

/** Reads a regular file's next `want` bytes at `at` (a short read is not the end); 0 at its end. */
export function readAt(input: OpenInput, buf: Buffer, want: number, at: number): number {
  let filled = 0;
  try {
    while (filled < want) {
      const n = readSync(input.fd, buf, filled, want - filled, at + filled);
      if (n === 0) break;
      filled += n;
    }
  } catch (err) {
    throw new InputError(`${input.what}: ${fsProblem(err)}`);
  }
  return filled;
}

/** A regular file whole, up to the size it had when opened. */
export function readWhole(input: OpenInput): Buffer {
  const buf = Buffer.allocUnsafe(input.size);
  return buf.subarray(0, readAt(input, buf, input.size, 0));
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // only read from: nothing to lose
  }
}

/** Why a file cannot be read, in words (never the system's message: it repeats the path unescaped). */
export function fsProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENXIO':
      return 'is a socket or a device with nothing behind it, not a file';
    default:
      return `cannot read (${code ?? 'error'})`;
  }
}
