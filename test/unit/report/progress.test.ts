import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createProgress } from '../../../src/report/progress.js';

describe('progress', () => {
  class Collect extends Writable {
    chunks: string[] = [];
    override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
      this.chunks.push(chunk.toString());
      cb();
    }
  }

  it('writes nothing when disabled', async () => {
    const sink = new Collect();
    const p = createProgress(sink, false);
    p.start(['time', 'dns']);
    p.done('dns');
    p.stop();
    assert.deepEqual(sink.chunks, []);
  });

  it('draws, redraws and clears when enabled', async () => {
    const sink = new Collect();
    const p = createProgress(sink, true);
    p.start(['dns', 'time', 'scopes']);
    p.done('dns');
    await new Promise((r) => setTimeout(r, 100));
    p.stop();
    p.stop();
    await new Promise((r) => setImmediate(r));
    assert.match(sink.chunks[0] ?? '', /running: dns, time, scopes \(0\/3 done\)/);
    assert.ok(sink.chunks.some((c) => /running: time, scopes \(1\/3 done\)/.test(c)));
    assert.ok(sink.chunks.length >= 3, 'the spinner redraws');
    assert.equal(sink.chunks.at(-1), '\r\x1b[2K');
    assert.equal(sink.chunks.filter((c) => c === '\r\x1b[2K').length, 1, 'stop is idempotent');
    const count = sink.chunks.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sink.chunks.length, count, 'no timer left behind');
  });
});
