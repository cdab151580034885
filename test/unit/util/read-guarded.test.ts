import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { streamTextFile } from '../../../src/sources/text-stream.js';
import { InputError, ProbeError } from '../../../src/util/errors.js';
import { guardedChunks, readGuarded, readGuardedSync, readGuardedText, type GuardedRead } from '../../../src/util/read-guarded.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-guarded-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EXPORT: GuardedRead = { purpose: 'export', timeoutMs: 5000 };
const text = (path: string, read: Partial<GuardedRead> = {}) => readGuardedText(path, { ...EXPORT, ...read });

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** A child that opens the FIFO after `delay` seconds and writes `content` into it. */
async function writer(path: string, content: Buffer | string, delay = 0): Promise<void> {
  const source = `${path}.content`;
  await writeFile(source, content);
  const child = spawn('sh', ['-c', `sleep ${delay}; cat "$0" > "$1"`, source, path], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', () => resolve()));
}

function rejectsWith(promise: Promise<unknown>, message: string): Promise<void> {
  return assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

const utf16le = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string): Buffer => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);

describe('readGuarded: regular files', () => {
  it('reads UTF-8 with and without a BOM, dropping the BOM', async () => {
    assert.equal(await text(await file('plain.txt', 'Grüße')), 'Grüße');
    assert.equal(await text(await file('bom.txt', '\ufeffGrüße')), 'Grüße');
  });

  it('reads UTF-16LE and UTF-16BE with a BOM (what Windows PowerShell 5.1 `>` writes)', async () => {
    assert.equal(await text(await file('le.txt', utf16le('<a>Grüße 😀</a>'))), '<a>Grüße 😀</a>');
    assert.equal(await text(await file('be.txt', utf16be('<a>Grüße 😀</a>'))), '<a>Grüße 😀</a>');
  });

  it('reads an empty file', async () => {
    assert.equal(await text(await file('empty.txt', '')), '');
    assert.equal((await readGuarded(await file('empty2.txt', ''), EXPORT)).bytes.length, 0);
  });

  it('refuses a missing file, naming it', async () => {
    const path = join(dir, 'nope.json');
    await rejectsWith(text(path), `${path}: no such file`);
  });

  it('refuses a directory at once', async () => {
    await rejectsWith(text(dir), `${dir}: is a directory, not a file`);
    assert.throws(() => readGuardedSync(dir, { purpose: 'config' }), { name: 'InputError', message: `${dir}: is a directory, not a file` });
  });

  it('refuses a device at once: /dev/zero never ends', async () => {
    await rejectsWith(
      readGuarded('/dev/zero', { purpose: 'secret', label: '--kea-password-file', timeoutMs: 5000 }),
      '--kea-password-file: /dev/zero: is a device, not a file',
    );
  });

  it('refuses a file over the cap of its purpose by its size, unread', async () => {
    const path = await file('huge.json', '');
    await truncate(path, 600 * 1024 * 1024); // sparse: nothing written
    await rejectsWith(text(path), `${path}: 600 MiB is larger than the 512 MiB limit`);
    await rejectsWith(
      readGuarded(path, { purpose: 'secret', label: '--ldap-ca', timeoutMs: 5000 }),
      `--ldap-ca: ${path}: 600 MiB is larger than the 1 MiB limit`,
    );
  });

  it('names sizes precisely enough to differ', async () => {
    const path = await file('small.json', 'x'.repeat(2000));
    await rejectsWith(text(path, { maxBytes: 1024 }), `${path}: 2 KiB is larger than the 1 KiB limit`);
    await rejectsWith(text(path, { maxBytes: 100 }), `${path}: 2000 bytes is larger than the 100 bytes limit`);
  });

  it('names the file with its control characters escaped', async () => {
    const path = join(dir, 'a\nb\u001b[31m.json');
    await rejectsWith(text(path), `${dir}/a\\x0ab\\x1b[31m.json: no such file`);
  });

  it('refuses broken text, never quoting it', async () => {
    const bad8 = await file('bad8.txt', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
    await rejectsWith(text(bad8), `${bad8}: invalid UTF-8 text: malformed byte sequence`);
    const odd = await file('odd.txt', utf16le('<DHCPServer>').subarray(0, 9));
    await rejectsWith(text(odd), `${odd}: invalid UTF-16LE text: odd number of bytes (truncated file?)`);
    const lone = await file('lone.txt', Buffer.concat([Buffer.from([0xff, 0xfe, 0x41, 0x00]), Buffer.from([0x00, 0xd8, 0x41, 0x00])]));
    await rejectsWith(text(lone), `${lone}: invalid UTF-16LE text: unpaired surrogate`);
    const be = await file('lone-be.txt', Buffer.from([0xfe, 0xff, 0xdc, 0x00]));
    await rejectsWith(text(be), `${be}: invalid UTF-16BE text: unpaired surrogate`);
    const nobom = await file('nobom16.txt', Buffer.from('{"a":1}', 'utf16le'));
    await rejectsWith(text(nobom), `${nobom}: looks like UTF-16 without a byte-order mark; save it as UTF-8 or as UTF-16 with a BOM`);
  });

  it('refuses an unreadable file', async () => {
    const path = await file('secret.txt', 'x');
    await chmod(path, 0o000);
    if (process.getuid?.() !== 0) return rejectsWith(text(path), `${path}: permission denied`);
    // Root reads anything: a child loads the same module as root, drops to nobody (65534), then reads.
    await chmod(dir, 0o755);
    const reader = new URL('../../../src/util/read-guarded.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(reader)}); process.setgid(65534); process.setuid(65534);
      await m.readGuardedText(process.argv[1], { purpose: 'secret', timeoutMs: 1000 }).then(() => console.log('read'), (e) => console.log(e.message));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, path], { encoding: 'utf8' });
    assert.equal(out.trim(), `${path}: permission denied`);
  });

  it('streams a file of many chunks whole, in order, with the event loop turning between them', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `line ${i} ü\n`).join('');
    const path = await file('many.txt', body);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const parts: string[] = [];
      await streamTextFile(path, { push: (t) => void parts.push(t), end: () => undefined }, { ...EXPORT, chunkBytes: 1024 });
      assert.equal(parts.join(''), body);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(turns > 0, 'timers ran while the file was read');
  });

  it('decodes a UTF-16 file streamed one byte at a time (the BOM split over chunks)', async () => {
    const path = await file('tiny-chunks.txt', utf16le('Grüße 😀'));
    const parts: string[] = [];
    await streamTextFile(path, { push: (t) => void parts.push(t), end: () => undefined }, { ...EXPORT, chunkBytes: 1 });
    assert.equal(parts.join(''), 'Grüße 😀');
  });
});

describe('readGuarded: pipes and FIFOs', () => {
  it('reads a FIFO a child writes into, even when the writer comes late', async () => {
    const path = fifo('config.fifo');
    const [read] = await Promise.all([readGuardedText(path, { purpose: 'config', timeoutMs: 5000 }), writer(path, utf16le('partner: 10.0.0.2\n'), 0.2)]);
    assert.equal(read, 'partner: 10.0.0.2\n');
  });

  it('streams a FIFO of many chunks', async () => {
    const path = fifo('export.fifo');
    const body = 'x'.repeat(300 * 1024);
    const parts: string[] = [];
    const sink = { push: (t: string) => void parts.push(t), end: () => undefined };
    await Promise.all([streamTextFile(path, sink, EXPORT), writer(path, body)]);
    assert.equal(parts.join(''), body);
  });

  it('a FIFO nobody writes to ends at the deadline, naming it, with the event loop free meanwhile', async () => {
    const path = fifo('nobody.fifo');
    let turns = 0;
    const ticker = setInterval(() => turns++, 5);
    try {
      await rejectsWith(
        readGuarded(path, { purpose: 'secret', label: '--kea-password-file', timeoutMs: 300 }),
        `--kea-password-file: ${path}: nothing arrived within 300 ms (a pipe or FIFO with no writer?)`,
      );
    } finally {
      clearInterval(ticker);
    }
    assert.ok(turns > 3, `timers ran while it waited (${turns})`);
  });

  it('a streamed FIFO nobody writes to ends the same way', async () => {
    const path = fifo('nobody-stream.fifo');
    const chunks = guardedChunks(path, { ...EXPORT, timeoutMs: 200 });
    await rejectsWith(chunks.next(), `${path}: nothing arrived within 200 ms (a pipe or FIFO with no writer?)`);
  });

  it('refuses a pipe once more than the cap has arrived', async () => {
    const path = fifo('big.fifo');
    const outcome = readGuarded(path, { purpose: 'secret', timeoutMs: 5000 });
    await Promise.all([rejectsWith(outcome, `${path}: more than the 1 MiB limit arrived through the pipe`), writer(path, Buffer.alloc(2 * 1024 * 1024, 0x61))]);
  });

  it('an abort stops the wait for a writer', async () => {
    const path = fifo('aborted.fifo');
    const controller = new AbortController();
    const outcome = readGuarded(path, { purpose: 'config', timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(outcome, (err: unknown) => err instanceof ProbeError && err.code === 'aborted' && err.message === `${path}: interrupted`);
  });

  it('the synchronous reader (includes met mid-parse) refuses a FIFO at once', () => {
    const path = fifo('include.fifo');
    assert.throws(() => readGuardedSync(path, { purpose: 'server-config', label: 'dhcpd: main.conf line 3', name: 'include "x.conf"' }), {
      name: 'InputError',
      message: 'dhcpd: main.conf line 3: include "x.conf": is a pipe or FIFO; only a regular file can be read here',
    });
  });
});
