import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.js';

/**
 * A small file (config, password, CA bundle) read by descriptor, never more than `maxBytes`:
 * a size taken from the path would say 0 for /dev/zero or a FIFO, and reading on would never
 * end. Pipes still work, so a secret can come from `<(pass show kea)`.
 */
export function readSmallFile(path: string, maxBytes: number, prefix: string, what = path): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(`${prefix}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new InputError(`${prefix}: ${what} is a directory`);
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1));
    let total = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        throw new InputError(`${prefix}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (n === 0) return Buffer.concat(chunks);
      total += n;
      if (total > maxBytes) throw new InputError(`${prefix}: ${what} is larger than ${sizeText(maxBytes)}`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  } finally {
    closeSync(fd);
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
