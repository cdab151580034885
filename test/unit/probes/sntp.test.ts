import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { sntpQuery, type SntpResult } from '../../../src/probes/sntp.js';
import { ProbeError } from '../../../src/util/errors.js';
import { startFakeNtp, reply, freeUdpPort, type FakeNtp, type Script } from '../../helpers/fake-ntp.js';

/** Open UDP sockets. A closed handle leaves the list only after libuv's close phase, hence the wait. */
async function udpHandles(): Promise<number> {
  await new Promise((r) => setTimeout(r, 1));
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
}

let fake: FakeNtp | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Runs one query against a scripted server and checks the probe left no UDP socket behind. */
async function query(script: Script, timeoutMs = 300, signal?: AbortSignal) {
  fake = await startFakeNtp(script);
  const before = await udpHandles();
  assert.ok(before >= 2, 'the fake server sockets are counted, so a leak would be too');
  const started = performance.now();
  let result: SntpResult | undefined;
  let error: unknown;
  try {
    result = await sntpQuery(fake.host, fake.port, { timeoutMs, ...(signal ? { signal } : {}) });
  } catch (err) {
    error = err;
  }
  const elapsed = performance.now() - started;
  assert.equal(await udpHandles(), before, 'the probe closed its socket');
  return { result, error, elapsed };
}

/** |offset − shift| is within NTP's own error bound, half the round-trip delay (+ rounding of the 32-bit fractions). */
function assertOffset(result: SntpResult, shiftMs: number): void {
  const bound = Math.max(0, result.delayMs) / 2 + 0.01;
  assert.ok(Math.abs(result.offsetMs - shiftMs) <= bound, `offset ${result.offsetMs}, shift ${shiftMs}, bound ± ${bound}`);
}

function assertProbeError(error: unknown, code: string, pattern?: RegExp): ProbeError {
  assert.ok(error instanceof ProbeError, `expected ProbeError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, /^NTP 127\.0\.0\.1:\d+: /);
  assert.doesNotMatch(error.message, /\n/);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

describe('sntpQuery against a scripted server', () => {
  it('computes the offset of a server whose clock is ahead', async () => {
    const { result, error } = await query((req) => [reply(req, { shiftMs: 12_345.5 })]);
    assert.equal(error, undefined);
    assert.ok(result);
    assertOffset(result, 12_345.5);
    assert.ok(Number.isFinite(result.delayMs) && result.delayMs >= -1, `delay ${result.delayMs}`);
    assert.equal(result.stratum, 2);
    assert.equal(result.leap, 0);
    assert.equal(result.version, 4);
    assert.equal(result.refId, '127.0.0.1');
    assert.equal(result.server, `127.0.0.1:${fake?.port}`);
  });

  it('computes a negative offset for a server behind us', async () => {
    const { result } = await query((req) => [reply(req, { shiftMs: -90_000 })]);
    assert.ok(result);
    assertOffset(result, -90_000);
  });

  it('sends one 48-byte v4 client request with a transmit timestamp of when it was sent', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { result } = await query((req) => [reply(req)]);
    const after = Math.ceil(Date.now() / 1000);
    assert.ok(result);
    assert.equal(fake?.requests.length, 1);
    const req = fake?.requests[0];
    assert.ok(req);
    assert.equal(req.length, 48);
    assert.equal(req[0], 0x23); // LI 0, VN 4, mode 3
    const txUnixS = req.readUInt32BE(40) - 2_208_988_800;
    assert.ok(txUnixS >= before && txUnixS <= after, `sent at ${txUnixS}, between ${before} and ${after}`);
  });

  it('times out when nothing answers, not before timeoutMs', async () => {
    const { error, elapsed } = await query(() => [], 200);
    assertProbeError(error, 'timeout', /no valid reply within 200 ms$/);
    assert.ok(elapsed >= 195, `settled after ${elapsed} ms`);
  });

  it('ignores a short packet and then times out', async () => {
    const { error } = await query((req) => [reply(req, { length: 47 })], 200);
    assertProbeError(error, 'timeout', /ignored 1 reply shorter than 48 bytes/);
  });

  it('ignores an oversized packet', async () => {
    const { error } = await query((req) => [reply(req, { length: 4000 })], 200);
    assertProbeError(error, 'timeout', /ignored 1 reply longer than 1024 bytes/);
  });

  it('accepts a reply with extension fields up to the cap', async () => {
    const { result, error } = await query((req) => [reply(req, { length: 48 + 4 * 60, shiftMs: 1000 })]);
    assert.equal(error, undefined);
    assert.ok(result);
    assertOffset(result, 1000);
  });

  it('ignores a reply that is not in server mode', async () => {
    const { error } = await query((req) => [reply(req, { mode: 3 })], 200);
    assertProbeError(error, 'timeout', /ignored 1 reply not in server mode/);
  });

  it('ignores a reply with a wrong origin timestamp', async () => {
    const { error } = await query((req) => {
      const forged = Buffer.from(req.subarray(40, 48));
      forged.writeUInt8(forged.readUInt8(7) ^ 1, 7); // off by one nonce bit
      return [reply(req, { origin: forged })];
    }, 200);
    assertProbeError(error, 'timeout', /ignored 1 reply with a wrong origin timestamp/);
  });

  it('still accepts the genuine reply that follows a forged one', async () => {
    const { result, error } = await query((req) => {
      const receivedMs = performance.timeOrigin + performance.now();
      return [reply(req, { origin: Buffer.alloc(8, 0xab), shiftMs: -5_000 }), { data: () => reply(req, { shiftMs: 7_000, receivedMs }), delayMs: 20 }];
    });
    assert.equal(error, undefined);
    assert.ok(result);
    assertOffset(result, 7_000);
  });

  it('ignores a reply with a zero transmit timestamp', async () => {
    const { error } = await query((req) => [reply(req, { zeroTransmit: true })], 200);
    assertProbeError(error, 'timeout', /zero transmit timestamp/);
  });

  it('rejects leap indicator 3 as unsynchronized', async () => {
    const { error } = await query((req) => [reply(req, { leap: 3, stratum: 3 })]);
    assertProbeError(error, 'unsynchronized', /leap indicator 3/);
  });

  for (const code of ['RATE', 'DENY', 'RSTR'] as const) {
    it(`reports stratum 0 + ${code} as kiss-o-death naming the code`, async () => {
      const { error } = await query((req) => [reply(req, { leap: 3, stratum: 0, refId: code })]);
      assertProbeError(error, 'kiss-o-death', new RegExp(`kiss-o-death ${code}\\b`));
    });
  }

  it('rejects stratum 0 without a kiss code as unsynchronized', async () => {
    const { error } = await query((req) => [reply(req, { stratum: 0, refId: Buffer.alloc(4) })]);
    assertProbeError(error, 'unsynchronized', /stratum 0/);
  });

  it('rejects stratum 16 as unsynchronized', async () => {
    const { error } = await query((req) => [reply(req, { stratum: 16 })]);
    assertProbeError(error, 'unsynchronized', /stratum 16/);
  });

  it('ignores a reply sent from another port and times out', async () => {
    const { error } = await query((req) => [{ data: reply(req), fromOtherPort: true }], 200);
    assertProbeError(error, 'timeout');
  });

  it('reports refused, not a timeout, when nothing listens on the port', async () => {
    const port = await freeUdpPort();
    const before = await udpHandles();
    // A 60 s budget: an answer at all (and not "timeout") shows the ICMP refusal ended the wait.
    await assert.rejects(sntpQuery('127.0.0.1', port, { timeoutMs: 60_000 }), (err) => {
      assertProbeError(err, 'refused', new RegExp(`^NTP 127\\.0\\.0\\.1:${port}: `));
      return true;
    });
    assert.equal(await udpHandles(), before);
  });

  it('reports aborted, not a timeout, when the signal fires', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const { error } = await query(() => [], 60_000, ac.signal);
    assertProbeError(error, 'aborted');
  });

  it('reports aborted at once for an already aborted signal', async () => {
    const { error } = await query(() => [], 60_000, AbortSignal.abort());
    assertProbeError(error, 'aborted');
    assert.equal(fake?.requests.length, 0);
  });

  it('reports an unresolvable host as an error, not a hang', { timeout: 30_000 }, async () => {
    await assert.rejects(sntpQuery('no-such-host.invalid', 123, { timeoutMs: 1000 }), (err) => {
      assert.ok(err instanceof ProbeError);
      assert.ok(['error', 'timeout'].includes(err.code), err.message);
      assert.match(err.message, /^NTP no-such-host\.invalid:123: /);
      return true;
    });
  });

  it('rejects an invalid port without opening a socket', async () => {
    await assert.rejects(sntpQuery('127.0.0.1', 0, { timeoutMs: 100 }), { code: 'error' });
  });
});
