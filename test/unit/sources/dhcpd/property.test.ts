// Property tests (fast-check) for the dhcpd.conf parser: generated confs give back the facts
// they were generated from, however they are spaced, commented and cased; random bytes and token
// soups end in the facts or in one-line InputErrors naming a line, within a time bound.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { formatIPv4 } from '../../../../src/net/ipv4.js';
import { parseDhcpdConf } from '../../../../src/sources/dhcpd/parse.js';
import { inputOr, numRuns, tempFiles } from '../../../helpers/property-files.js';

const runs = Math.ceil(numRuns / 4);
const files = tempFiles('dhcpd');
after(() => files.remove());

interface GenPeer {
  name: string;
  role: 'primary' | 'secondary';
  address: number;
  port: number;
  peerAddress: number;
  peerPort: number;
  mclt: number | undefined;
  split: number | undefined;
  maxResponseDelay: number;
}

interface GenPool {
  peer: number | undefined;
  ranges: Array<[number, number]>;
}

interface GenSubnet {
  third: number;
  pools: GenPool[];
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const peerArb = (name: string): fc.Arbitrary<GenPeer> =>
  fc.record({
    name: fc.constant(name),
    role: fc.constantFrom('primary' as const, 'secondary' as const),
    address: u32,
    port: fc.integer({ min: 1, max: 65535 }),
    peerAddress: u32,
    peerPort: fc.integer({ min: 1, max: 65535 }),
    mclt: fc.option(fc.integer({ min: 0, max: 0x7fffffff }), { nil: undefined }),
    split: fc.option(fc.integer({ min: 0, max: 256 }), { nil: undefined }),
    maxResponseDelay: fc.integer({ min: 0, max: 3600 }),
  });

const rangeArb = fc
  .tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 }))
  .map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]);

const confArb = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9 {};#-]{0,12}$/), { maxLength: 3 }).chain((names) =>
  fc.record({
    peers: fc.tuple(...names.map(peerArb)),
    subnets: fc.uniqueArray(
      fc.record({
        third: fc.integer({ min: 0, max: 255 }),
        pools: fc.array(
          fc.record({
            peer: names.length > 0 ? fc.option(fc.nat(names.length - 1), { nil: undefined }) : fc.constant(undefined),
            ranges: fc.array(rangeArb, { minLength: 1, maxLength: 3 }),
          }),
          { maxLength: 3 },
        ),
      }),
      { selector: (s) => s.third, maxLength: 4 },
    ),
    // Separators between tokens: spaces, newlines, comments holding grammar characters.
    seps: fc.array(fc.constantFrom(' ', '\n', '\t ', ' # } { ; "\n', '\r\n', '  #\n'), { minLength: 1, maxLength: 8 }),
    upper: fc.boolean(),
  }),
);

/** Writes a generated conf: tokens joined by the separators in turn. */
function render(gen: { peers: GenPeer[]; subnets: GenSubnet[]; seps: string[]; upper: boolean }): string {
  const out: string[] = [];
  let i = 0;
  const sep = (): string => gen.seps[i++ % gen.seps.length]!;
  const kw = (w: string): string => (gen.upper ? w.toUpperCase() : w);
  const stmt = (...tokens: string[]): void => void out.push(tokens.join(sep()), sep());
  stmt(kw('ddns-update-style'), 'none', ';');
  stmt('unknown-future-keyword', '{', 'nested', '{', 'x', ';', '}', '}');
  for (const p of gen.peers) {
    stmt(kw('failover'), kw('peer'), JSON.stringify(p.name), '{');
    stmt(kw(p.role), ';');
    stmt(kw('address'), formatIPv4(p.address), ';', kw('port'), String(p.port), ';');
    stmt(kw('peer'), kw('address'), formatIPv4(p.peerAddress), ';', kw('peer'), kw('port'), String(p.peerPort), ';');
    if (p.mclt !== undefined) stmt(kw('mclt'), String(p.mclt), ';');
    if (p.split !== undefined) stmt(kw('split'), String(p.split), ';');
    stmt(kw('max-response-delay'), String(p.maxResponseDelay), ';', '}');
  }
  for (const s of gen.subnets) {
    stmt(kw('subnet'), `10.1.${s.third}.0`, kw('netmask'), '255.255.255.0', '{');
    stmt('option', 'routers', `10.1.${s.third}.1`, ';');
    for (const pool of s.pools) {
      stmt(kw('pool'), '{');
      if (pool.peer !== undefined) stmt(kw('failover'), kw('peer'), JSON.stringify(gen.peers[pool.peer]!.name), ';');
      for (const [a, b] of pool.ranges) stmt(kw('range'), `10.1.${s.third}.${a}`, `10.1.${s.third}.${b}`, ';');
      stmt('}');
    }
    stmt('}');
  }
  return out.join('');
}

describe('parseDhcpdConf properties', () => {
  it('a generated conf gives back the facts it describes, each on a line that says it', () => {
    fc.assert(
      fc.property(confArb, (gen) => {
        const text = render(gen);
        const path = files.file('gen.conf', text);
        const conf = parseDhcpdConf(path);
        const lines = text.split('\n');
        const says = (line: number, word: string): boolean => (lines[line - 1] ?? '').toLowerCase().includes(word);
        assert.deepEqual(
          conf.failoverPeers.map((p) => [
            p.name,
            p.role?.value,
            p.address?.value,
            p.port?.value,
            p.peerAddress?.value,
            p.peerPort?.value,
            p.mclt?.value,
            p.split?.value,
            p.maxResponseDelay?.value,
          ]),
          gen.peers.map((p) => [p.name, p.role, formatIPv4(p.address), p.port, formatIPv4(p.peerAddress), p.peerPort, p.mclt, p.split, p.maxResponseDelay]),
        );
        for (const p of conf.failoverPeers) {
          assert.ok(says(p.line, 'failover'), `peer at line ${p.line}`);
          if (p.mclt) assert.ok(says(p.mclt.line, 'mclt'));
        }
        assert.deepEqual(
          conf.subnets.map((s) => [s.network, s.prefix, s.pools.map((pool) => [pool.failoverPeer?.value, pool.ranges.map((r) => [r.start, r.end])])]),
          gen.subnets.map((s) => [
            `10.1.${s.third}.0`,
            24,
            s.pools.map((pool) => [
              pool.peer === undefined ? undefined : gen.peers[pool.peer]!.name,
              pool.ranges.map(([a, b]) => [`10.1.${s.third}.${a}`, `10.1.${s.third}.${b}`]),
            ]),
          ]),
        );
        for (const r of conf.pools.flatMap((p) => p.ranges)) assert.ok(says(r.line, 'range'));
      }),
      { numRuns: runs },
    );
  });

  const vocabulary = [
    'failover',
    'peer',
    '"f"',
    'primary',
    'secondary',
    'address',
    'port',
    'mclt',
    'split',
    'hba',
    'load',
    'balance',
    'max',
    'seconds',
    'subnet',
    'netmask',
    'shared-network',
    'pool',
    'range',
    'dynamic-bootp',
    'allow',
    'deny',
    'dynamic',
    'bootp',
    'clients',
    'no',
    'group',
    'host',
    'class',
    'key',
    'algorithm',
    'secret',
    'omapi-port',
    'omapi-key',
    'include',
    '"x"',
    '""',
    'if',
    'else',
    'on',
    '{',
    '}',
    ';',
    '.',
    ':',
    '=',
    ',',
    '#',
    '"',
    '\\',
    '\n',
    '10',
    '0',
    '255',
    '-1',
    '0x1f',
    'ff',
    '99999999999',
    '10.0.0.0',
    '255.255.255.0',
    '"unterminated',
    'a\u0000b',
    '\u00ff',
    'é',
  ];

  /** Anything but facts or a one-line InputError naming a line (or the file) fails (speed is the bench's to prove). */
  function survives(bytes: Uint8Array): void {
    const path = files.file('soup.conf', bytes);
    const out = inputOr(() => parseDhcpdConf(path, { maxFileBytes: 1 << 20 }));
    if (!out.ok) {
      assert.ok(!out.error.message.includes('\n'), out.error.message);
      assert.match(out.error.message, /^dhcpd: \S.*(?: line \d+: \S|: nested deeper than 256 levels at line \d+$)/);
    } else {
      JSON.stringify(out.value);
    }
  }

  it('random bytes never crash it with anything but an InputError naming a line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => survives(bytes)),
      { numRuns: runs },
    );
  });

  it('token soups never crash it with anything but an InputError naming a line', () => {
    const soup = fc
      .array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(' ', '\n', '', '\t')), { maxLength: 400 })
      .map((parts) => Buffer.from(parts.map(([t, s]) => t + s).join('')));
    fc.assert(
      fc.property(soup, (bytes) => survives(bytes)),
      { numRuns: runs },
    );
  });

  it('a large soup (deep braces, long runs) stays bounded in time', () => {
    survives(Buffer.from('{'.repeat(200_000)));
    survives(Buffer.from('x '.repeat(300_000)));
    survives(Buffer.from(`"${'a'.repeat(500_000)}`));
    survives(Buffer.from('group { '.repeat(10_000)));
  });
});
