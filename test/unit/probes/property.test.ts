// Property tests (fast-check) for the SNTP probe: random reply packets from the scripted fake NTP
// server on 127.0.0.1, one real round trip per run.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sntpQuery, type SntpResult } from '../../../src/probes/sntp.js';
import { ProbeError } from '../../../src/util/errors.js';
import { reply, startFakeNtp, type FakeNtp } from '../../helpers/fake-ntp.js';
import { numRuns } from '../../helpers/property-files.js';

type Packet =
  | {
      kind: 'built';
      leap: number;
      version: number;
      mode: number;
      stratum: number;
      refId: Buffer;
      badOrigin: number | undefined;
      zeroTx: boolean;
      length: number | undefined;
      shiftMs: number;
    }
  | { kind: 'random'; bytes: Uint8Array; echoOrigin: boolean };

const packetArb: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({
    kind: fc.constant('built' as const),
    leap: fc.nat(3),
    version: fc.nat(7),
    mode: fc.oneof(fc.constant(4), fc.nat(7)),
    stratum: fc.oneof(fc.integer({ min: 1, max: 15 }), fc.nat(255)),
    refId: fc.oneof(
      fc.constant(Buffer.from([127, 0, 0, 1])),
      fc.constantFrom('RATE', 'DENY', 'RSTR', 'GPS', 'X').map((s) => Buffer.from(s.padEnd(4, '\0'), 'latin1')),
      fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => Buffer.from(b)),
    ),
    badOrigin: fc.option(fc.nat(63), { nil: undefined, freq: 4 }),
    zeroTx: fc.constantFrom(false, false, false, true),
    length: fc.option(fc.oneof(fc.nat(47), fc.integer({ min: 48, max: 1100 })), { nil: undefined, freq: 3 }),
    shiftMs: fc.double({ min: -1e10, max: 1e10, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 120 }), echoOrigin: fc.boolean() }),
);

function packetFor(p: Packet, request: Buffer): Buffer {
  if (p.kind === 'random') {
    const b = Buffer.from(p.bytes);
    if (p.echoOrigin && b.length >= 32) request.copy(b, 24, 40, 48);
    return b;
  }
  const origin = Buffer.from(request.subarray(40, 48));
  if (p.badOrigin !== undefined) origin[p.badOrigin >> 3]! ^= 1 << (p.badOrigin & 7);
  return reply(request, {
    shiftMs: p.shiftMs,
    leap: p.leap,
    version: p.version,
    mode: p.mode,
    stratum: p.stratum,
    refId: p.refId,
    origin,
    zeroTransmit: p.zeroTx,
    ...(p.length === undefined ? {} : { length: p.length }),
  });
}

/** The RFC 4330/5905 rules the README lists, applied to the bytes: what the client must do with them. */
function oracle(b: Buffer, request: Buffer): 'ignored' | 'kiss-o-death' | 'unsynchronized' | 'valid' {
  if (b.length < 48 || b.length > 1024) return 'ignored';
  if ((b[0]! & 7) !== 4) return 'ignored';
  if (!b.subarray(24, 32).equals(request.subarray(40, 48))) return 'ignored';
  if (b.readUInt32BE(40) === 0 && b.readUInt32BE(44) === 0) return 'ignored';
  const leap = b[0]! >> 6;
  const stratum = b[1]!;
  const ref = b.toString('latin1', 12, 16).replace(/\0+$/, '');
  if (stratum === 0 && /^[\x21-\x7e]{1,4}$/.test(ref)) return 'kiss-o-death';
  if (leap === 3 || stratum === 0 || stratum >= 16) return 'unsynchronized';
  return 'valid';
}

describe('sntpQuery on random reply packets', () => {
  let fake: FakeNtp;
  let script: (request: Buffer) => Buffer[] = () => [];
  before(async () => {
    fake = await startFakeNtp((req) => script(req));
  });
  after(() => fake.close());

  const FOLLOW_UP_SHIFT = 1_000_000;
  /**
   * How far an honest offset may be from the true shift: half the round-trip delay (NTP's own
   * error bound: the server's stamps lie between our send and our receive), plus a rounding
   * allowance for 32-bit NTP fractions. Load lengthens the delay and widens the bound with it.
   */
  const within = (result: SntpResult, shift: number) => Math.abs(result.offsetMs - shift) <= Math.max(0, result.delayMs) / 2 + 0.01;

  it('each packet is used (offset = its shift), refused (named ProbeError) or ignored (the honest follow-up is used)', async () => {
    await fc.assert(
      fc.asyncProperty(packetArb, async (p) => {
        let first: Buffer | undefined;
        let request: Buffer | undefined;
        const shift = p.kind === 'built' ? p.shiftMs : 0;
        // The random packet, then an honest reply whose clock differs by FOLLOW_UP_SHIFT: an ignored
        // packet shows as that offset, and no run has to wait for a timeout.
        script = (req) => {
          request = req;
          first = packetFor(p, req);
          return [first, reply(req, { shiftMs: shift + FOLLOW_UP_SHIFT })];
        };
        let result: SntpResult | undefined;
        let error: unknown;
        const sent = performance.timeOrigin + performance.now();
        try {
          result = await sntpQuery(fake.host, fake.port, { timeoutMs: 2000 });
        } catch (err) {
          error = err;
        }
        const roundTripMs = performance.timeOrigin + performance.now() - sent;
        assert.ok(first && request, 'the server was asked');
        const want = oracle(first, request);
        if (want === 'kiss-o-death' || want === 'unsynchronized') {
          assert.ok(error instanceof ProbeError, `expected a ProbeError, got ${String(error ?? JSON.stringify(result))}`);
          assert.equal(error.code, want, error.message);
          return;
        }
        assert.equal(error, undefined, `${String(error)} (packet: ${want})`);
        assert.ok(result);
        if (want === 'ignored') {
          assert.ok(
            within(result, shift + FOLLOW_UP_SHIFT),
            `ignored packet: offset ${result.offsetMs} ± ${result.delayMs / 2}, follow-up ${shift + FOLLOW_UP_SHIFT}`,
          );
          assert.equal(result.stratum, 2);
          return;
        }
        assert.equal(result.leap, first[0]! >> 6);
        assert.equal(result.version, (first[0]! >> 3) & 7);
        assert.equal(result.stratum, first[1]);
        assert.ok(Number.isFinite(result.offsetMs) && Number.isFinite(result.delayMs));
        if (p.kind === 'built') assert.ok(within(result, shift), `offset ${result.offsetMs} ± ${result.delayMs / 2}, shift ${shift}`);
        // Any timestamps: the era closest to our clock keeps the offset within half an era.
        // (Our own stamps lie within the round trip this test saw.)
        else assert.ok(Math.abs(result.offsetMs) <= 2 ** 31 * 1000 + roundTripMs, `offset ${result.offsetMs}`);
      }),
      // ~0.25 ms per loopback UDP exchange: the full FC_RUNS (10 000 by default) is ~2.5 s.
      { numRuns },
    );
  });
});
