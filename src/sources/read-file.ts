import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../util/errors.js';

const MiB = 1024 * 1024;
export const DEFAULT_MAX_BYTES = 128 * MiB;

export interface ReadTextOptions {
  /** Refuse files larger than this many bytes (default 128 MiB). */
  maxBytes?: number;
}

/**
 * Reads a whole text file that a user handed us, decoding it by its byte-order mark.
 * Every failure is an InputError naming the file, because every failure here is something the
 * user can fix (wrong path, wrong encoding, wrong file).
 */
export async function readTextFile(path: string, opts: ReadTextOptions = {}): Promise<string> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fsError(path, err);
  }
  let bytes: Buffer;
  try {
    // Size comes from the open descriptor, so a file swapped after a path-based stat cannot
    // sneak past the limit.
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, not a file`);
    // A FIFO or device would block or never end; only regular files have a trustworthy size.
    if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
    if (info.size > maxBytes) {
      const [size, limit] = formatSizes(info.size, maxBytes);
      throw new InputError(`${path}: ${size} is larger than the ${limit} limit`);
    }
    bytes = await readExactly(handle, info.size);
  } catch (err) {
    throw err instanceof InputError ? err : fsError(path, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
  return decodeText(path, bytes);
}

// Reads at most `size` bytes: a file that grows while we read cannot push us past the limit.
async function readExactly(handle: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(buf, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? buf : buf.subarray(0, filled);
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function detectEncoding(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const LABEL: Record<Encoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

export function decodeText(path: string, bytes: Uint8Array): string {
  const encoding = detectEncoding(bytes);
  if (encoding === 'utf-8' && bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) {
    // UTF-8 would "decode" this into NUL-riddled text and the parser would blame the content.
    throw new InputError(
      `${path}: looks like UTF-16 without a byte-order mark; save it as UTF-8 or as UTF-16 with a BOM`,
    );
  }
  if (encoding !== 'utf-8' && bytes.length % 2 !== 0) {
    throw new InputError(`${path}: invalid ${LABEL[encoding]} text: odd number of bytes (truncated file?)`);
  }
  try {
    // The decoder drops the BOM itself (ignoreBOM defaults to false).
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const why = encoding === 'utf-8' ? 'malformed byte sequence' : 'unpaired surrogate';
    throw new InputError(`${path}: invalid ${LABEL[encoding]} text: ${why}`);
  }
}

function fsError(path: string, err: unknown): InputError {
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
