import { closeSync, constants, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

// An --output file appears whole or not at all: a regular file (or a new one) is written beside
// its target under a temporary name and renamed over it, so an interrupted or failed write leaves
// the old file (or none), never half a report. A FIFO, a character device (/dev/stdout, a
// terminal) or a socket cannot be renamed onto: it is written directly, within `deadlineMs`, and
// a FIFO nobody reads within it is an error that names it, not a hang.

export class OutputError extends Error {}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

export function writeOutput(path: string, text: string, deadlineMs: number): void {
  const target = resolve(path);
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) return writeDirect(path, target, Buffer.from(text), existing.isFIFO(), deadlineMs);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { mode: existing ? existing.mode & 0o777 : 0o666 });
    renameSync(temp, target);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw err;
  }
}

function writeDirect(path: string, target: string, bytes: Buffer, fifo: boolean, deadlineMs: number): void {
  const until = Date.now() + deadlineMs;
  let fd: number | undefined;
  // Without O_NONBLOCK, opening a FIFO waits for a reader for ever; with it, no reader is ENXIO.
  const flags = constants.O_WRONLY | (fifo ? constants.O_NONBLOCK : 0);
  while (fd === undefined) {
    try {
      fd = openSync(target, flags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() >= until) {
        if ((err as NodeJS.ErrnoException).code === 'ENXIO')
          throw new OutputError(`${path} is a FIFO nobody reads (waited ${Math.round(deadlineMs / 1000)} s)`);
        throw err;
      }
      sleep(20);
    }
  }
  try {
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(fd, bytes, done);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        if (Date.now() >= until) throw new OutputError(`${path}: its reader stopped reading (waited ${Math.round(deadlineMs / 1000)} s)`);
        sleep(10);
      }
    }
  } finally {
    closeSync(fd);
  }
}
