// Property tests (fast-check) for the network-facing parsers: SNTP replies (sntpQuery against the
// scripted fake NTP server) and Kea Control Agent replies (loadKea against a scripted HTTP agent).
// Everything listens on 127.0.0.1 only. Each run is a real round trip; the Kea property runs
// fewer cases than FC_RUNS (see its comment).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { sntpQuery, type SntpResult } from '../../src/probes/sntp.js';
import { loadKea } from '../../src/sources/kea/source.js';
import type { ScopeFact, ServerFacts } from '../../src/facts.js';
import { formatIPv4, prefixToMask } from '../../src/net/ipv4.js';
import { InputError, ProbeError } from '../../src/util/errors.js';
import { reply, startFakeNtp, type FakeNtp } from '../helpers/fake-ntp.js';
import { numRuns } from '../helpers/property-files.js';

// ---------------------------------------------------------------- SNTP

type Packet =
  | { kind: 'built'; leap: number; version: number; mode: number; stratum: number; refId: Buffer; badOrigin: number | undefined; zeroTx: boolean; length: number | undefined; shiftMs: number }
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
  /** Offsets computed on loopback are within a few ms; the slack covers a busy 2-core CI box. */
  const SLACK_MS = 100;

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
        try {
          result = await sntpQuery(fake.host, fake.port, { timeoutMs: 2000 });
        } catch (err) {
          error = err;
        }
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
          assert.ok(Math.abs(result.offsetMs - (shift + FOLLOW_UP_SHIFT)) < SLACK_MS, `ignored packet: offset ${result.offsetMs}, follow-up ${shift + FOLLOW_UP_SHIFT}`);
          assert.equal(result.stratum, 2);
          return;
        }
        assert.equal(result.leap, first[0]! >> 6);
        assert.equal(result.version, (first[0]! >> 3) & 7);
        assert.equal(result.stratum, first[1]);
        assert.ok(Number.isFinite(result.offsetMs) && Number.isFinite(result.delayMs));
        if (p.kind === 'built') assert.ok(Math.abs(result.offsetMs - shift) < SLACK_MS, `offset ${result.offsetMs}, shift ${shift}`);
        // Any timestamps: the era closest to our clock keeps the offset within half an era.
        else assert.ok(Math.abs(result.offsetMs) <= 2 ** 31 * 1000 + SLACK_MS, `offset ${result.offsetMs}`);
      }),
      // ~0.25 ms per loopback UDP exchange: the full FC_RUNS (10 000 by default) is ~2.5 s.
      { numRuns },
    );
  });
});

// ---------------------------------------------------------------- Kea

interface GenSubnet {
  addr: number;
  prefix: number;
  id?: number;
  pools: string[];
}
const subnetArb: fc.Arbitrary<GenSubnet> = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 30 }), fc.option(fc.nat(4096), { nil: undefined }), fc.nat(2), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.boolean())
  .map(([addr, prefix, id, n, r, cidrPool]) => {
    const network = (addr & prefixToMask(prefix)) >>> 0;
    const size = 2 ** (32 - prefix);
    const at = (x: number) => network + Math.min(size - 1, Math.floor(x * size));
    const pools: string[] = [];
    for (let i = 0; i < n; i++) {
      const [a, b] = [at(r[2 * i]!), at(r[2 * i + 1]!)].sort((x, y) => x - y) as [number, number];
      pools.push(cidrPool ? `${formatIPv4(network)}/${prefix + 1}` : `${formatIPv4(a)} - ${formatIPv4(b)}`);
    }
    return { addr, prefix, ...(id === undefined ? {} : { id }), pools };
  });
const junkSubnet = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom({ subnet: '10.0.0.0/33' }, { subnet: 'x' }, { subnet: 5 }, { subnet: '2001:db8::/64' }));

const keaArb = fc.record({
  subnets: fc.array(fc.tuple(subnetArb, fc.boolean()), { maxLength: 5 }),
  junk: fc.array(junkSubnet, { maxLength: 2 }),
  // Each reply: the honest one, or any JSON / HTTP status in its place.
  broken: fc.option(
    fc.record({
      command: fc.constantFrom('version-get', 'config-get', 'status-get', 'agent'),
      status: fc.constantFrom(200, 200, 200, 500, 404, 401, 403),
      body: fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 20 }), fc.constantFrom('[{"result":0,"text":5}]', '[]', '[{"result":0,"arguments":{"Dhcp4":[]}}]', '[{"result":1,"text":"unable to forward command to the dhcp4 service"}]')),
    }),
    { nil: undefined },
  ),
});
type KeaGen = typeof keaArb extends fc.Arbitrary<infer T> ? T : never;

function dhcp4Of(g: KeaGen): Record<string, unknown> {
  const entry = (s: GenSubnet) => ({
    subnet: `${formatIPv4(s.addr)}/${s.prefix}`,
    ...(s.id === undefined ? {} : { id: s.id }),
    pools: s.pools.map((pool) => ({ pool })),
  });
  const plain = g.subnets.filter(([, shared]) => !shared).map(([s]) => entry(s));
  const shared = g.subnets.filter(([, sh]) => sh).map(([s]) => entry(s));
  return {
    'interfaces-config': { interfaces: ['lo/127.0.0.1'] },
    subnet4: [...plain, ...g.junk],
    'shared-networks': [{ name: 'lab', subnet4: shared }],
  };
}

function expectedScopes(g: KeaGen): ScopeFact[] {
  const one = (s: GenSubnet): ScopeFact => {
    const network = (s.addr & prefixToMask(s.prefix)) >>> 0;
    const f: ScopeFact = { network, prefix: s.prefix };
    if (s.id !== undefined) f.subnetId = s.id;
    if (s.pools.length === 1) {
      const pool = s.pools[0]!;
      if (pool.includes('/')) {
        f.rangeStart = network;
        f.rangeEnd = network + 2 ** (32 - s.prefix - 1) - 1;
      } else {
        const [a, b] = pool.split(' - ').map((x) => x.split('.').reduce((n, o) => n * 256 + Number(o), 0)) as [number, number];
        f.rangeStart = a;
        f.rangeEnd = b;
      }
    }
    return f;
  };
  return [...g.subnets.filter(([, sh]) => !sh).map(([s]) => one(s)), ...g.subnets.filter(([, sh]) => sh).map(([s]) => one(s))];
}

describe('loadKea on generated and broken agent replies', () => {
  let server: Server;
  let url = '';
  let current: KeaGen | undefined;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { command, service } = JSON.parse(body) as { command: string; service?: string[] };
        const which = command === 'config-get' && !service ? 'agent' : command;
        const g = current!;
        let status = 200;
        let text: string;
        if (g.broken && g.broken.command === which) {
          status = g.broken.status;
          text = g.broken.body;
        } else if (which === 'version-get') text = JSON.stringify([{ result: 0, text: '2.2.0' }]);
        else if (which === 'status-get') text = JSON.stringify([{ result: 0, arguments: { pid: 1, uptime: 5 } }]);
        else if (which === 'agent') text = JSON.stringify([{ result: 0, arguments: { 'Control-agent': { 'http-host': '127.0.0.1', 'http-port': 8000 } } }]);
        else text = JSON.stringify([{ result: 0, arguments: { Dhcp4: dhcp4Of(g) } }]);
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
        res.end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('honest replies give exactly the generated subnets (network, prefix, id, single-pool range); any broken reply gives sane facts, ProbeError or InputError', async () => {
    await fc.assert(
      fc.asyncProperty(keaArb, async (g) => {
        current = g;
        let facts: ServerFacts | undefined;
        try {
          facts = await loadKea(url, { timeoutMs: 3000 });
        } catch (err) {
          assert.ok(err instanceof ProbeError || err instanceof InputError, `unexpected ${String(err)}`);
          assert.ok(g.broken, `honest replies must load: ${String(err)}`);
          return;
        }
        assert.equal(facts.platform, 'kea');
        for (const s of facts.scopes ?? []) {
          assert.ok(Number.isInteger(s.prefix) && s.prefix >= 0 && s.prefix <= 32);
          assert.equal((s.network & ~prefixToMask(s.prefix)) >>> 0, 0, 'no host bits');
          if (s.rangeStart !== undefined) assert.ok(s.rangeEnd !== undefined && s.rangeStart <= s.rangeEnd);
        }
        if (!g.broken) {
          assert.deepEqual(facts.scopes, expectedScopes(g));
          assert.deepEqual([facts.version?.major, facts.version?.minor, facts.version?.build], [2, 2, 0]);
          assert.equal(facts.service?.state, 'running');
          assert.equal(facts.kea?.subnets?.filter((s) => s.sharedNetwork === 'lab').length, g.subnets.filter(([, sh]) => sh).length);
        }
      }),
      // Four fresh-socket HTTP round trips a run (~2.5 ms): a fifth of FC_RUNS (2 000 by default) keeps this near 5 s.
      { numRuns: Math.ceil(numRuns / 5) },
    );
  });
});
