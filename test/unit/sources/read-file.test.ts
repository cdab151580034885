import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTextFile } from '../../../src/sources/read-file.js';
import { InputError } from '../../../src/util/errors.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-file-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

function rejectsWith(promise: Promise<unknown>, message: string): Promise<void> {
  return assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
};

describe('readTextFile', () => {
  it('reads UTF-8 with and without a BOM, dropping the BOM', async () => {
    assert.equal(await readTextFile(await file('plain.txt', 'Grüße')), 'Grüße');
    assert.equal(await readTextFile(await file('bom.txt', '\ufeffGrüße')), 'Grüße');
  });

  it('reads UTF-16LE and UTF-16BE with a BOM', async () => {
    assert.equal(await readTextFile(await file('le.txt', utf16le('<a>Grüße 😀</a>'))), '<a>Grüße 😀</a>');
    assert.equal(await readTextFile(await file('be.txt', utf16be('<a>Grüße 😀</a>'))), '<a>Grüße 😀</a>');
  });

  it('reads an empty file', async () => {
    assert.equal(await readTextFile(await file('empty.txt', '')), '');
  });

  it('refuses a missing file', async () => {
    const path = join(dir, 'nope.json');
    await rejectsWith(readTextFile(path), `${path}: no such file`);
  });

  it('refuses a directory', async () => {
    await rejectsWith(readTextFile(dir), `${dir}: is a directory, not a file`);
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const path = join(dir, 'bundle.fifo');
    execFileSync('mkfifo', [path]);
    const started = performance.now();
    await rejectsWith(readTextFile(path), `${path}: not a regular file`);
    assert.ok(performance.now() - started < 2000, 'no wait for a writer');
  });

  it('reads a file of many chunks whole, in order, with the event loop turning between them', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i} ü\n`).join('');
    const path = await file('many.txt', text);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const parts: string[] = [];
      const { streamTextFile } = await import('../../../src/sources/text-stream.js');
      await streamTextFile(path, { push: (t) => void parts.push(t), end: () => undefined }, { chunkBytes: 1024 });
      assert.equal(parts.join(''), text);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(turns > 0, 'timers ran while the file was read');
  });

  it('refuses an unreadable file', async () => {
    const path = await file('secret.txt', 'x');
    await chmod(path, 0o000);
    if (process.getuid?.() !== 0) return rejectsWith(readTextFile(path), `${path}: permission denied`);
    // Root reads anything: a child loads the same module as root, drops to nobody (65534), then reads.
    await chmod(dir, 0o755);
    const reader = new URL('../../../src/sources/read-file.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(reader)}); process.setgid(65534); process.setuid(65534);
      await m.readTextFile(process.argv[1]).then(() => console.log('read'), (e) => console.log(e.message));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, path], { encoding: 'utf8' });
    assert.equal(out.trim(), `${path}: permission denied`);
  });

  it('refuses a file over the limit by its size, without reading it', async () => {
    const path = await file('huge.json', '');
    await truncate(path, 300 * 1024 * 1024); // sparse: no 300 MB written
    await rejectsWith(readTextFile(path), `${path}: 300 MB is larger than the 128 MB limit`);
  });

  it('names sizes precisely enough to differ', async () => {
    const path = await file('small.json', 'x'.repeat(2000));
    await rejectsWith(readTextFile(path, { maxBytes: 1024 }), `${path}: 2 KB is larger than the 1 KB limit`);
    await rejectsWith(readTextFile(path, { maxBytes: 100 }), `${path}: 2000 bytes is larger than the 100 bytes limit`);
  });

  it('refuses broken UTF-8', async () => {
    const path = await file('bad8.txt', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
    await rejectsWith(readTextFile(path), `${path}: invalid UTF-8 text: malformed byte sequence`);
  });

  it('refuses UTF-16 with an odd byte count (truncated)', async () => {
    const path = await file('odd.txt', utf16le('<DHCPServer>').subarray(0, 9));
    await rejectsWith(readTextFile(path), `${path}: invalid UTF-16LE text: odd number of bytes (truncated file?)`);
  });

  it('refuses UTF-16 with a lone surrogate', async () => {
    const path = await file('lone.txt', Buffer.concat([Buffer.from([0xff, 0xfe, 0x41, 0x00]), Buffer.from([0x00, 0xd8, 0x41, 0x00])]));
    await rejectsWith(readTextFile(path), `${path}: invalid UTF-16LE text: unpaired surrogate`);
    const be = await file('lone-be.txt', Buffer.from([0xfe, 0xff, 0xdc, 0x00]));
    await rejectsWith(readTextFile(be), `${be}: invalid UTF-16BE text: unpaired surrogate`);
  });

  it('explains UTF-16 written without a BOM', async () => {
    const path = await file('nobom16.txt', Buffer.from('{"a":1}', 'utf16le'));
    await rejectsWith(
      readTextFile(path),
      `${path}: looks like UTF-16 without a byte-order mark; save it as UTF-8 or as UTF-16 with a BOM`,
    );
  });
});
