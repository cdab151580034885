import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { formatIPv4 } from '../../../../src/net/ipv4.js';
import { loadDhcpd } from '../../../../src/sources/dhcpd/source.js';
import { InputError } from '../../../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'dhcpd-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = Buffer.from('not-a-real-key-0123456789abcdef').toString('base64');
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const conf = (omapi = '') => `${omapi}
failover peer "fo" { primary; address 127.0.0.1; port 647; peer address 127.0.0.2; peer port 847; mclt 600; split 128; }
subnet 127.0.0.0 netmask 255.0.0.0 { }
subnet 10.99.0.0 netmask 255.255.255.0 { pool { failover peer "fo"; range 10.99.0.100 10.99.0.200; } }
shared-network n {
  subnet 10.98.0.0 netmask 255.255.255.0 { }
  pool { failover peer "fo"; range 10.98.0.10 10.98.0.20; range 10.98.0.30 10.98.0.40; }
}
`;

describe('dhcpd:<file> source', () => {
  it('turns the conf into facts: subnets with their range, failover peers as relationships, own addresses', async () => {
    const f = await loadDhcpd(write('plain.conf', conf()), { timeoutMs: 2000 });
    assert.equal(f.platform, 'isc-dhcpd');
    assert.deepEqual(f.addresses, ['127.0.0.1']);
    assert.deepEqual(f.relationships, [{ name: 'fo', partner: '127.0.0.2', mode: 'primary', scopeIds: ['10.99.0.0', '10.98.0.0'] }]);
    assert.deepEqual(
      f.scopes!.map((s) => [formatIPv4(s.network), s.prefix, s.rangeStart === undefined ? null : formatIPv4(s.rangeStart)]),
      [
        ['127.0.0.0', 8, null],
        ['10.99.0.0', 24, '10.99.0.100'],
        ['10.98.0.0', 24, null],
      ],
    );
    assert.deepEqual(
      f.dhcpd!.pools.map((p) => [p.subnet, p.peer, p.ranges.length]),
      [
        ['10.99.0.0/24', 'fo', 1],
        ['10.98.0.0/24', 'fo', 2],
      ],
    );
    // Without omapi-port nothing live is asked, and a note says what would answer.
    assert.equal(f.service, undefined);
    assert.equal(f.identity, undefined);
    assert.match(f.notes!.join('\n'), /sets no omapi-port: .* an omapi-port with an omapi-key in dhcpd\.conf would answer that/);
    // dhcpd -t ran (the binary is installed here) and found nothing to refuse.
    assert.equal(f.dhcpd!.sanity?.exitCode, 0, JSON.stringify(f.dhcpd!.sanity));
  });

  it('OMAPI refused on the omapi-port: service stopped; silence: a note, no verdict; the secret appears nowhere', async () => {
    const port = await freePort();
    const key = `key k { algorithm hmac-md5; secret "${SECRET}"; };\nomapi-key k;\n`;
    const f = await loadDhcpd(write('refused.conf', conf(`omapi-port ${port};\n${key}`)), {
      timeoutMs: 2000,
      server: { host: '127.0.0.1', thisMachine: false },
    });
    assert.equal(f.service?.state, 'stopped');
    assert.match(f.service!.raw, new RegExp(`nothing listens on OMAPI 127\\.0\\.0\\.1:${port}`));
    assert.equal(f.dhcpd!.omapi?.outcome, 'refused');
    assert.deepEqual(f.dhcpd!.omapi?.key, { name: 'k', from: 'conf' });
    for (const text of [JSON.stringify(f), inspect(f, { depth: 20 })]) assert.ok(!text.includes(SECRET));

    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const sp = (silent.address() as { port: number }).port;
      const started = performance.now();
      const g = await loadDhcpd(write('silent.conf', conf(`omapi-port ${sp};\n`)), { timeoutMs: 500, server: { host: '127.0.0.1', thisMachine: false } });
      assert.ok(performance.now() - started < 3000);
      assert.equal(g.service, undefined);
      assert.equal(g.dhcpd!.omapi?.outcome, 'no-answer');
      assert.match(g.notes!.join('\n'), /no answer within 500 ms/);
    } finally {
      silent.close();
    }
  });

  it('--omapi-key-file: a key block outside the conf; a bad one is input (exit 2) without the secret', async () => {
    const port = await freePort();
    const keyFile = write('omapi.key', `key other { algorithm hmac-md5; secret "${SECRET}"; };\n`);
    const f = await loadDhcpd(write('k.conf', conf(`omapi-port ${port};\n`)), { timeoutMs: 1000, omapiKeyFile: keyFile });
    assert.deepEqual(f.dhcpd!.omapi?.key, { name: 'other', from: 'key file' });
    await assert.rejects(
      loadDhcpd(write('k2.conf', conf()), { timeoutMs: 1000, omapiKeyFile: write('empty.key', '# nothing\n') }),
      (e: unknown) => e instanceof InputError && /holds no key block/.test(e.message),
    );
    const bad = write('bad.key', `key k { algorithm hmac-md5; secret "${SECRET}!!"; };\n`);
    await assert.rejects(
      loadDhcpd(write('k3.conf', conf()), { timeoutMs: 1000, omapiKeyFile: bad }),
      (e: unknown) => e instanceof InputError && e.message.startsWith('--omapi-key-file: ') && !e.message.includes(SECRET),
    );
  });

  it("a relative include is dhcpd's: from the working directory, for the parser and dhcpd -t alike", async () => {
    write('peer.inc', conf().split('subnet ')[0]!);
    const main = write(
      'rel.conf',
      `include "peer.inc";\nsubnet 10.99.0.0 netmask 255.255.255.0 { pool { failover peer "fo"; range 10.99.0.100 10.99.0.200; } }\n`,
    );
    const f = await loadDhcpd(main, { timeoutMs: 2000, cwd: dir });
    assert.deepEqual(f.dhcpd!.files.length, 2);
    assert.equal(f.dhcpd!.peers[0]!.name, 'fo');
    assert.equal(f.dhcpd!.sanity?.exitCode, 0, JSON.stringify(f.dhcpd!.sanity));
    // From another directory the include is not there: input, naming the include.
    await assert.rejects(loadDhcpd(main, { timeoutMs: 2000, cwd: '/' }), (e: unknown) => e instanceof InputError && /peer\.inc/.test(e.message));
  });

  it('a syntax error is input naming file and line', async () => {
    const p = write('broken.conf', 'subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.1 10.0.0.9\n}\n');
    await assert.rejects(loadDhcpd(p, { timeoutMs: 1000 }), (e: unknown) => e instanceof InputError && e.message.includes(`${p} line 2:`));
  });
});
