// Property tests (fast-check) for the Kea source: loadKea against a scripted HTTP agent on
// 127.0.0.1 giving generated and broken replies, one real round trip per run; the property runs
// fewer cases than FC_RUNS (see its comment).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { loadKea } from '../../../../src/sources/kea/source.js';
import type { ScopeFact, ServerFacts } from '../../../../src/facts.js';
import { formatIPv4, prefixToMask } from '../../../../src/net/ipv4.js';
import { InputError, ProbeError } from '../../../../src/util/errors.js';
import { numRuns } from '../../../helpers/property-files.js';

interface GenSubnet {
  addr: number;
  prefix: number;
  id?: number;
  pools: string[];
}
const subnetArb: fc.Arbitrary<GenSubnet> = fc
  .tuple(
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.integer({ min: 8, max: 30 }),
    fc.option(fc.nat(4096), { nil: undefined }),
    fc.nat(2),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
    fc.boolean(),
  )
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
const junkSubnet = fc.oneof(
  fc.jsonValue({ maxDepth: 1 }),
  fc.constantFrom({ subnet: '10.0.0.0/33' }, { subnet: 'x' }, { subnet: 5 }, { subnet: '2001:db8::/64' }),
);

const keaArb = fc.record({
  subnets: fc.array(fc.tuple(subnetArb, fc.boolean()), { maxLength: 5 }),
  junk: fc.array(junkSubnet, { maxLength: 2 }),
  // Each reply: the honest one, or any JSON / HTTP status in its place.
  broken: fc.option(
    fc.record({
      command: fc.constantFrom('version-get', 'config-get', 'status-get', 'agent'),
      status: fc.constantFrom(200, 200, 200, 500, 404, 401, 403),
      body: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(
          '[{"result":0,"text":5}]',
          '[]',
          '[{"result":0,"arguments":{"Dhcp4":[]}}]',
          '[{"result":1,"text":"unable to forward command to the dhcp4 service"}]',
        ),
      ),
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
