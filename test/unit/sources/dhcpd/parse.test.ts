import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { resolve } from 'node:path';
import { parseDhcpdConf } from '../../../../src/sources/dhcpd/parse.js';
import type { DhcpdConf } from '../../../../src/sources/dhcpd/types.js';
import { InputError } from '../../../../src/util/errors.js';
import { throwsInput } from '../../../helpers/input-error.js';
import { tempFiles } from '../../../helpers/property-files.js';

const FX = 'test/fixtures/dhcpd';
const abs = (p: string): string => resolve(p);
const tmp = tempFiles('dhcpd-parse');
after(() => tmp.remove());

/** Parses `text` written to a temp file; returns the facts and the file's path. */
function parseText(text: string | Uint8Array, name = 'dhcpd.conf'): { conf: DhcpdConf; path: string } {
  const path = tmp.file(name, text);
  return { conf: parseDhcpdConf(path), path };
}

const PEER = 'failover peer "f" { primary; address 127.0.0.1; peer address 127.0.0.2; mclt 600; split 128; }\n';
const POOL = 'subnet 10.99.0.0 netmask 255.255.255.0 { pool { failover peer "f"; range 10.99.0.100 10.99.0.200; } }\n';

describe('parseDhcpdConf: the recipe pair', () => {
  it('reads every failover fact of the primary, each with its file and line', () => {
    const file = `${FX}/valid/primary.conf`;
    const conf = parseDhcpdConf(file);
    const at = (line: number) => ({ file, line });
    assert.deepEqual(conf.files, [file]);
    assert.deepEqual(conf.failoverPeers, [
      {
        name: 'dhcp-failover',
        ...at(5),
        role: { value: 'primary', ...at(5) },
        address: { value: '127.0.0.1', ...at(5) },
        port: { value: 647, ...at(5) },
        peerAddress: { value: '127.0.0.2', ...at(5) },
        peerPort: { value: 847, ...at(6) },
        maxResponseDelay: { value: 60, ...at(6) },
        maxUnackedUpdates: { value: 10, ...at(6) },
        mclt: { value: 600, ...at(6) },
        split: { value: 128, ...at(6) },
        loadBalanceMaxSeconds: { value: 3, ...at(7) },
      },
    ]);
    assert.deepEqual(
      conf.subnets.map((s) => [s.network, s.netmask, s.prefix, s.pools.length, s.ranges.length, s.line]),
      [
        ['127.0.0.0', '255.0.0.0', 8, 0, 0, 8],
        ['10.99.0.0', '255.255.255.0', 24, 1, 0, 9],
      ],
    );
    assert.deepEqual(conf.pools, [
      {
        parent: { kind: 'subnet', network: '10.99.0.0', netmask: '255.255.255.0' },
        ranges: [{ start: '10.99.0.100', end: '10.99.0.200', dynamicBootp: false, ...at(9) }],
        permits: [],
        failoverPeer: { value: 'dhcp-failover', from: 'pool', ...at(9) },
        ...at(9),
      },
    ]);
    assert.equal(conf.pools[0], conf.subnets[1]!.pools[0], 'one pool object, reachable both ways');
    assert.deepEqual(conf.omapiPort, { value: 7911, ...at(2) });
    assert.deepEqual(conf.omapiKey, { value: 'omapi_key', ...at(4) });
    assert.equal(conf.keys.length, 1);
    assert.equal(conf.keys[0]!.name, 'omapi_key');
    assert.equal(conf.keys[0]!.algorithm, 'hmac-md5');
    assert.equal(conf.keys[0]!.secretBytes()!.toString(), 'secret-key-12345');
    assert.deepEqual(conf.sharedNetworks, []);
  });

  it('reads the secondary: role, swapped ends, no mclt and no split (undefined, never defaulted)', () => {
    const conf = parseDhcpdConf(`${FX}/valid/secondary.conf`);
    const [peer] = conf.failoverPeers;
    assert.equal(peer?.role?.value, 'secondary');
    assert.deepEqual([peer?.address?.value, peer?.port?.value, peer?.peerAddress?.value, peer?.peerPort?.value], ['127.0.0.2', 847, '127.0.0.1', 647]);
    assert.equal(peer?.mclt, undefined);
    assert.equal(peer?.split, undefined);
    assert.equal(peer?.hba, undefined);
    assert.equal(conf.omapiPort?.value, 7912);
  });
});

describe('parseDhcpdConf: the key secret stays out of every output', () => {
  const conf = parseDhcpdConf(`${FX}/valid/primary.conf`);
  const secretText = 'secret-key-12345';
  const secretB64 = Buffer.from(secretText).toString('base64');
  it('is absent from JSON, inspect, toString and the keys of the object', () => {
    for (const out of [JSON.stringify(conf), inspect(conf, { depth: 10, showHidden: true }), String(conf.keys[0]), Object.keys(conf.keys[0]!).join()]) {
      assert.ok(!out.includes(secretText) && !out.includes(secretB64), out.slice(0, 200));
    }
    assert.equal(conf.keys[0]!.hasSecret, true);
  });

  it('hands out copies: scribbling on one does not change the key', () => {
    conf.keys[0]!.secretBytes()!.fill(0);
    assert.equal(conf.keys[0]!.secretBytes()!.toString(), secretText);
  });

  it('never appears in an error about a key block', () => {
    const path = `${FX}/bad/secret-missing-semi.conf`;
    throwsInput(() => parseDhcpdConf(path), `dhcpd: ${path} line 4: expected ';' after the secret of key "k"`);
    const cases = [
      'key k { secret "dG9wLXNlY3JldA==" "x" }\n',
      'key k { secret dG9wLXNlY3JldA= =A; }\n',
      'key k { secret dG9wLXNlY3JldA===zz; }\n',
      'key k { secret "dG9wLXNlY3JldA=="; secret "dG9wLXNlY3JldA=="; }\n',
      'key k { secret "dG9wLXNlY3JldA==";\n wrong "dG9wLXNlY3JldA==" }\n',
      'option x "a" secret dG9wLXNlY3JldA== }\n',
    ];
    for (const text of cases) {
      assert.throws(
        () => parseText(text),
        (err: unknown) => err instanceof InputError && !/dG9w|top-secret/.test(err.message) && / line \d+: /.test(err.message),
        text,
      );
    }
  });
});

describe('parseDhcpdConf: includes', () => {
  it('follows relative includes from the working directory, as dhcpd does (not from the including file)', () => {
    const file = `${FX}/split/main.conf`;
    const conf = parseDhcpdConf(file);
    const peerFile = abs(`${FX}/split/parts/peer.conf`);
    const poolFile = abs(`${FX}/split/parts/pool.conf`);
    assert.deepEqual(conf.files, [file, peerFile, poolFile]);
    assert.deepEqual([conf.failoverPeers[0]?.file, conf.failoverPeers[0]?.line, conf.failoverPeers[0]?.mclt?.line], [peerFile, 2, 3]);
    assert.deepEqual(conf.omapiPort, { value: 7911, file: peerFile, line: 1 });
    // The included pool lands in the subnet that included it.
    assert.equal(conf.subnets[1]?.pools[0]?.failoverPeer?.value, 'dhcp-failover');
    assert.deepEqual([conf.pools[0]?.file, conf.pools[0]?.line, conf.pools[0]?.ranges[0]?.line], [poolFile, 1, 3]);
    // From another working directory the same names do not resolve.
    assert.throws(() => parseDhcpdConf(abs(file), { cwd: '/' }), /line 4: include "\/test\/fixtures\/dhcpd\/split\/parts\/peer.conf": no such file/);
  });

  it('follows absolute includes', () => {
    const inner = tmp.file('abs-inner.conf', PEER);
    const { conf, path } = parseText(`include "${inner}";\n${POOL}`, 'abs-outer.conf');
    assert.deepEqual(conf.files, [path, inner]);
    assert.equal(conf.failoverPeers[0]?.file, inner);
    assert.equal(conf.pools[0]?.failoverPeer?.value, 'f');
  });

  it('refuses an include loop, naming the file and line of the include that closes it', () => {
    const a = `${FX}/bad/loop-a.conf`;
    throwsInput(() => parseDhcpdConf(a), `dhcpd: ${abs(`${FX}/bad/loop-b.conf`)} line 2: include loop: "${abs(a)}" is already being read`);
  });

  it('refuses a missing include, naming the including file and line', () => {
    const path = `${FX}/bad/include-missing.conf`;
    throwsInput(() => parseDhcpdConf(path), `dhcpd: ${path} line 4: include "${abs(`${FX}/bad/no-such-file.conf`)}": no such file`);
  });

  it('parses an include inside a pool as dhcpd does: with the general statements (no range there)', () => {
    const path = `${FX}/bad/include-range-in-pool.conf`;
    throwsInput(() => parseDhcpdConf(path), `dhcpd: ${abs(`${FX}/bad/range.inc`)} line 1: range declaration not allowed here`);
  });

  it('bounds include depth and the number of files', () => {
    const chain = Array.from({ length: 20 }, (_, i) => tmp.file(`chain-${i}.conf`, i === 19 ? PEER : ''));
    for (let i = 0; i < 19; i++) tmp.file(`chain-${i}.conf`, `include "${chain[i + 1]}";\n`);
    assert.throws(() => parseDhcpdConf(chain[0]!), /line 1: includes nested deeper than 16$/);
    assert.equal(parseDhcpdConf(chain[0]!, { maxIncludeDepth: 32 }).failoverPeers.length, 1);
    const leaf = tmp.file('leaf.conf', '');
    const many = tmp.file('many.conf', `include "${leaf}";\n`.repeat(50));
    assert.throws(
      () => parseDhcpdConf(many, { maxFiles: 10 }),
      /many\.conf line 10: more than 10 files included \(include chain: \S*many\.conf -> \S*leaf\.conf\)$/,
    );
  });

  it('names a missing or oversized main file', () => {
    throwsInput(() => parseDhcpdConf(`${FX}/nope.conf`), `dhcpd: ${FX}/nope.conf: no such file`);
    const big = tmp.file('big.conf', '#'.repeat(2048));
    throwsInput(() => parseDhcpdConf(big, { maxFileBytes: 1024 }), `dhcpd: ${big}: 2 KiB is larger than the 1 KiB limit`);
  });
});

describe('parseDhcpdConf: what it skips', () => {
  it('reads the facts out of a conf full of classes, hosts, groups, if/elsif/else, on, option definitions', () => {
    const file = `${FX}/valid/everything.conf`;
    const conf = parseDhcpdConf(file);
    assert.deepEqual(
      conf.failoverPeers.map((p) => [p.name, p.line, p.sharedNetwork, p.role?.value]),
      [
        ['campus-fo', 46, undefined, 'primary'],
        ['lab-fo', 88, 'lab', 'secondary'],
      ],
    );
    const fo = conf.failoverPeers[0]!;
    assert.equal(fo.peerAddress?.value, 'dhcp2.example.test');
    assert.equal(fo.hba?.value, `${'ff:'.repeat(16)}${'00:'.repeat(15)}0f`);
    assert.deepEqual(
      [fo.autoPartnerDown?.value, fo.maxLeaseMisbalance?.value, fo.maxLeaseOwnership?.value, fo.minBalance?.value, fo.maxBalance?.value, fo.maxBalance?.line],
      [0, 15, 10, 60, 3600, 61],
    );
    assert.deepEqual(conf.omapiPort?.value, 7919);
    assert.deepEqual(conf.omapiKey?.value, 'omapi key');
    assert.deepEqual(conf.keys[0]!.secretBytes(), Buffer.from('q+/vAAEC', 'base64'));
    assert.deepEqual(
      conf.sharedNetworks.map((n) => [n.name, n.subnets.map((s) => `${s.network}/${s.prefix}`), n.pools.length, n.failoverPeer?.value]),
      [
        ['campus', ['10.99.0.0/24', '10.98.0.0/23'], 1, 'campus-fo'],
        ['lab', ['10.97.0.0/24'], 0, undefined],
      ],
    );
    assert.deepEqual(
      conf.pools.map((p) => [
        p.parent,
        p.failoverPeer && [p.failoverPeer.value, p.failoverPeer.from, p.failoverPeer.line],
        p.ranges.map((r) => `${r.start}-${r.end}${r.dynamicBootp ? ' bootp' : ''}`),
        p.permits.map((x) => `${x.verb} ${x.what}`),
      ]),
      [
        [
          { kind: 'subnet', network: '10.99.0.0', netmask: '255.255.255.0', sharedNetwork: 'campus' },
          ['campus-fo', 'shared-network', 65],
          ['10.99.0.100-10.99.0.150'],
          ['deny dynamic bootp clients'],
        ],
        [
          { kind: 'subnet', network: '10.99.0.0', netmask: '255.255.255.0', sharedNetwork: 'campus' },
          ['campus-fo', 'pool', 73],
          ['10.99.0.151-10.99.0.160'],
          ['allow members of "printers"'],
        ],
        [{ kind: 'shared-network', sharedNetwork: 'campus' }, undefined, ['10.98.0.10-10.98.1.20 bootp'], []],
        [
          { kind: 'subnet', network: '10.97.0.0', netmask: '255.255.255.0', sharedNetwork: 'lab' },
          ['lab-fo', 'pool', 94],
          ['10.97.0.10-10.97.0.10', '10.97.0.20-10.97.0.99'],
          [],
        ],
      ],
    );
    assert.deepEqual(conf.subnets[1]?.dynamicBootp, { value: 'allow', file, line: 79 });
    assert.deepEqual(conf.subnets[3]?.ranges, [{ start: '10.96.0.50', end: '10.96.0.60', dynamicBootp: false, file, line: 99 }]);
  });

  it('skips keywords it does not know, with nested blocks, at any depth', () => {
    const { conf } = parseText(
      [
        'frobnicate 1 2 3;',
        'future-block "x" { nested { deeper { a; b c; } } more; }',
        PEER.trim(),
        'subnet 10.99.0.0 netmask 255.255.255.0 {',
        '  wibble { } wobble;',
        '  pool { failover peer "f"; unknown-thing { x; }; range 10.99.0.100 10.99.0.200; later-word 7; }',
        '}',
      ].join('\n'),
    );
    assert.equal(conf.failoverPeers[0]?.mclt?.value, 600);
    assert.deepEqual(
      conf.pools[0]?.ranges.map((r) => r.line),
      [6],
    );
  });

  it('keeps braces, semicolons and # inside strings, and ends comments at the line end', () => {
    const { conf } = parseText(
      [
        'option domain-name "a { b ; c } # d"; # failover peer "fake" { primary; }',
        'option x "escaped \\" quote { ;";',
        `# ${PEER.trim()}`,
        PEER.trim(),
        POOL.trim(),
      ].join('\n'),
    );
    assert.deepEqual(
      conf.failoverPeers.map((p) => [p.name, p.line]),
      [['f', 4]],
    );
  });

  it('reads string escapes as dhcpd does', () => {
    const { conf } = parseText(
      'failover peer "a\\tb\\x41\\101\\"" { primary; peer address 10.0.0.1; }\n' +
        'subnet 10.0.0.0 netmask 255.0.0.0 { pool { failover peer "a\\tbAA\\""; range 10.0.0.5; } }\n',
    );
    assert.equal(conf.failoverPeers[0]?.name, 'a\tbAA"');
    assert.equal(conf.pools[0]?.failoverPeer?.value, 'a\tbAA"');
  });

  it('treats keywords case-insensitively and takes names unquoted', () => {
    const { conf } = parseText(
      'FAILOVER PEER fo { PRIMARY; Peer Address 10.0.0.2; MCLT 5; Split 0; }\nSubnet 10.0.0.0 NetMask 255.0.0.0 { Pool { failover peer "fo"; Range 10.0.0.5 10.0.0.6; } }\n',
    );
    assert.deepEqual([conf.failoverPeers[0]?.name, conf.failoverPeers[0]?.role?.value, conf.failoverPeers[0]?.split?.value], ['fo', 'primary', 0]);
  });

  it('reads numbers as dhcpd stores them (atoi into the field, octets and hba via convert_num)', () => {
    const { conf } = parseText(
      'failover peer "f" { primary; peer address 10.0.0.2; mclt -1; port 0070; max-balance 99999999999999999999; }\nomapi-port 017;\n',
    );
    const p = conf.failoverPeers[0]!;
    assert.equal(p.mclt?.value, 4294967295);
    assert.equal(p.port?.value, 70);
    assert.equal(p.maxBalance?.value, 4294967295); // strtol saturates at LONG_MAX, whose low 32 bits are all ones
    assert.equal(conf.omapiPort?.value, 15); // format S reads a leading 0 as octal
  });

  it('treats a 0xFF byte at the start of a token as the end of the file, as dhcpd (a signed char) does', () => {
    const { conf } = parseText(Buffer.concat([Buffer.from(PEER + POOL), Buffer.from([0xff]), Buffer.from(' garbage {{{ "')]));
    assert.equal(conf.failoverPeers.length, 1);
  });
});

describe('parseDhcpdConf: syntax errors, one line naming the file and line (dhcpd refuses each)', () => {
  const rows: Array<[string, number, string]> = [
    ['missing-semi', 3, `expected ';' after "mclt 600"`],
    ['unterminated-string', 3, 'end of file inside a string'],
    ['unbalanced', 5, `end of file inside subnet 10.99.0.0 netmask 255.255.255.0 (line 3): missing '}'`],
    ['stray-brace', 4, "unexpected '}'"],
    ['peer-unknown-statement', 3, 'invalid statement "frobnicate" in failover peer "f"'],
    ['no-failover-peer-semicolon', 5, `dhcpd reads no ';' after "no failover peer" (write it without one)`],
    ['hba-short', 3, 'too few numbers in hba of failover peer "f"'],
    ['split-257', 3, 'split must be between 0 and 256, inclusive (failover peer "f")'],
    ['secret-not-base64', 4, `expected ';' after the secret of key "k"`],
    ['pool-without-range', 5, 'pool declaration with no address range'],
    ['peer-in-subnet', 4, 'failover peers may only be defined in shared-network declarations and the outer scope'],
    ['pool-names-unknown-peer', 4, 'failover peer "g" is not declared before this pool'],
    ['subnet-host-bits', 3, 'subnet 10.99.0.1 netmask 255.255.255.0: bad subnet number/mask combination'],
    ['range-outside-subnet', 4, 'bad range, address 10.99.1.20 not in subnet 10.99.0.0 netmask 255.255.255.0'],
    ['octet-256', 4, 'number exceeds the maximum (255) for 8 bits'],
  ];
  for (const [name, line, message] of rows) {
    it(name, () => {
      const path = `${FX}/bad/${name}.conf`;
      throwsInput(() => parseDhcpdConf(path), `dhcpd: ${path} line ${line}: ${message}`);
    });
  }

  it('quotes tokens printably and never across a newline', () => {
    assert.throws(
      () => parseText('failover peer "f" { primary; "\\n\\x01evil" 3; }\n'),
      (err: unknown) =>
        err instanceof InputError && !err.message.includes('\n') && err.message.endsWith(' line 1: invalid statement "\\x0a\\x01evil" in failover peer "f"'),
    );
    assert.throws(
      () => parseText('failover peer "f" { bogus\u0001word; }\n'),
      (err: unknown) => err instanceof InputError && !/[\u0000-\u001f]/.test(err.message),
    );
  });

  it('bounds nesting and tokens', () => {
    assert.throws(() => parseText('group { '.repeat(300)), /: nested deeper than 256 levels at line 1$/);
    assert.throws(() => parseDhcpdConf(tmp.file('tokens.conf', 'a b c d e f g h i j;\n'.repeat(10)), { maxTokens: 50 }), /line \d+: more than 50 tokens$/);
  });
});

describe('parseDhcpdConf: failover sanity rules are left to the platform (dhcpd -t refuses these; the facts say why)', () => {
  it('a primary without mclt, without split/hba, a peer no pool names, a secondary with split', () => {
    const noMclt = parseDhcpdConf(`${FX}/sanity/no-mclt.conf`).failoverPeers[0]!;
    assert.deepEqual([noMclt.role?.value, noMclt.mclt, noMclt.split?.value], ['primary', undefined, 128]);
    const noSplit = parseDhcpdConf(`${FX}/sanity/no-split.conf`).failoverPeers[0]!;
    assert.deepEqual([noSplit.split, noSplit.hba, noSplit.mclt?.value], [undefined, undefined, 600]);
    const noPools = parseDhcpdConf(`${FX}/sanity/no-pools.conf`);
    assert.deepEqual([noPools.failoverPeers.length, noPools.pools.filter((p) => p.failoverPeer).length], [1, 0]);
    const secondary = parseDhcpdConf(`${FX}/sanity/secondary-split.conf`).failoverPeers[0]!;
    assert.deepEqual([secondary.role?.value, secondary.split?.value], ['secondary', 128]);
    assert.equal(parseDhcpdConf(`${FX}/sanity/no-peer-address.conf`).failoverPeers[0]!.peerAddress, undefined);
    const bootp = parseDhcpdConf(`${FX}/sanity/dynamic-bootp.conf`).pools[0]!;
    assert.deepEqual([bootp.failoverPeer?.value, bootp.ranges[0]?.dynamicBootp], ['f', true]);
  });
});
