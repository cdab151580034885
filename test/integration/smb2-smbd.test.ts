import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { smb2Time, type Smb2TimeResult } from '../../src/probes/smb2.js';
import { ProbeError } from '../../src/util/errors.js';
import { freePort } from '../helpers/kea.js';
import { startSmbd, type Smbd, type SmbdOptions } from '../helpers/smbd.js';

/** A server that fails to start throws out of here and fails the test: never a skip. */
async function withSmbd<T>(opts: SmbdOptions, body: (s: Smbd) => Promise<T>): Promise<T> {
  const server = await startSmbd(opts);
  try {
    assert.equal((await readFile(`/proc/${server.pid}/comm`, 'utf8')).trim(), 'smbd', 'the recorded PID is smbd itself');
    return await body(server);
  } finally {
    await server.stop();
    assert.throws(() => process.kill(server.pid, 0), { code: 'ESRCH' }, `smbd ${server.pid} is gone`);
  }
}

const describeResult = (r: Smb2TimeResult) =>
  `offset ${r.offsetMs.toFixed(3)} ms, delay ${r.delayMs.toFixed(3)} ms, error bound ±${r.errorMs.toFixed(3)} ms, ` +
  `dialect ${r.dialect}, server time ${r.serverTime.toISOString()}`;

describe('smb2Time against a real Samba smbd', () => {
  for (const [shift, expectedMs] of [
    ['+300', 300_000],
    ['+20s', 20_000],
    [undefined, 0],
  ] as const) {
    it(`reads a ${shift ?? 'real (unshifted)'} clock as ${expectedMs / 1000} s ahead, within its error bound`, async (t) => {
      await withSmbd(shift === undefined ? {} : { shift }, async ({ host, port, readyMs }) => {
        t.diagnostic(`smbd on ${host}:${port} ready after ${readyMs} ms`);
        // Twice: the first connection makes smbd fork its worker; the second shows the steady state.
        for (const round of [1, 2]) {
          const r = await smb2Time(host, port, { timeoutMs: 3000 });
          t.diagnostic(`round ${round}: ${describeResult(r)}`);
          assert.equal(r.server, `${host}:${port}`);
          // smbd 4.17 with no "server max protocol" picks the highest we offer.
          assert.equal(r.dialect, '3.0.2');
          assert.ok(r.delayMs >= 0 && r.delayMs < 1000, `delay ${r.delayMs}`);
          assert.ok(Math.abs(r.offsetMs - expectedMs) <= r.errorMs, `offset ${r.offsetMs} ms, expected ${expectedMs} ± ${r.errorMs}`);
          // Samba stamps SystemTime from a microsecond clock, so half the round trip alone (plus
          // 2 ms for the two clocks' reading) must cover it: the Windows tick in errorMs is slack here.
          assert.ok(Math.abs(r.offsetMs - expectedMs) <= r.delayMs / 2 + 2, `offset ${r.offsetMs} ms vs RTT/2 ${r.delayMs / 2}`);
        }
      });
    });
  }

  it('is refused quickly on a port nobody listens on, and again once smbd stopped', async () => {
    const host = '127.0.0.2';
    const port = await freePort(host);
    const refused = async (p: number) => {
      const started = performance.now();
      await assert.rejects(smb2Time(host, p, { timeoutMs: 3000 }), (err) => {
        assert.ok(err instanceof ProbeError, String(err));
        assert.equal(err.code, 'refused', err.message);
        assert.equal(err.message, `SMB2 ${host}:${p}: connection refused (nothing listens, or a firewall rejects)`);
        return true;
      });
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 200, `refused after ${elapsed} ms`);
      return elapsed;
    };
    await refused(port);

    const server = await startSmbd({ shift: '+5m' });
    try {
      const r = await smb2Time(server.host, server.port, { timeoutMs: 3000 });
      assert.ok(Math.abs(r.offsetMs - 300_000) <= r.errorMs);
    } finally {
      await server.stop();
    }
    await refused(server.port);
  });
});
