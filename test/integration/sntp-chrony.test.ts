import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sntpQuery } from '../../src/probes/sntp.js';
import { ProbeError } from '../../src/util/errors.js';
import { startChrony, startUnsynchronizedChrony, type ChronyServer } from '../helpers/chrony.js';

/** A server that fails to start throws out of here and fails the test: never a skip. */
async function withChrony<T>(start: () => Promise<ChronyServer>, body: (s: ChronyServer) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await body(server);
  } finally {
    await server.stop();
    assert.throws(() => process.kill(server.pid, 0), { code: 'ESRCH' }, `chronyd ${server.pid} is gone`);
  }
}

describe('sntpQuery against chronyd under libfaketime', () => {
  for (const [shift, expectedMs] of [
    ['+5m', 300_000],
    ['+20s', 20_000],
  ] as const) {
    it(`measures a ${shift} clock as ${expectedMs} ms ahead (within 50 ms)`, async (t) => {
      await withChrony(
        () => startChrony({ shift }),
        async ({ host, port }) => {
          const r = await sntpQuery(host, port, { timeoutMs: 1000 });
          t.diagnostic(`offset ${r.offsetMs.toFixed(3)} ms, delay ${r.delayMs.toFixed(3)} ms, stratum ${r.stratum}`);
          assert.ok(Math.abs(r.offsetMs - expectedMs) < 50, `offset ${r.offsetMs} ms`);
          assert.equal(r.stratum, 8);
          assert.equal(r.leap, 0);
          assert.equal(r.server, `${host}:${port}`);
        },
      );
    });
  }

  it('rejects chronyd without local stratum as unsynchronized', async () => {
    await withChrony(
      () => startUnsynchronizedChrony({ shift: '+5m' }),
      async ({ host, port }) => {
        await assert.rejects(sntpQuery(host, port, { timeoutMs: 1000 }), (err) => {
          assert.ok(err instanceof ProbeError);
          assert.equal(err.code, 'unsynchronized', err.message);
          assert.match(err.message, new RegExp(`^NTP ${host.replace(/\./g, '\\.')}:${port}: .*leap indicator 3`));
          return true;
        });
      },
    );
  });
});
