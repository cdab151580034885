import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dhcpdTest, dhcpdVersion, hasDhcpdBinary } from '../../../../src/sources/dhcpd/judge.js';

// The real /usr/sbin/dhcpd (isc-dhcp-server is a test requirement: its absence fails here).

const dir = mkdtempSync(join(tmpdir(), 'dhcpd-judge-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = Buffer.from('judge-test-secret-0123456789abcd').toString('base64');

describe('dhcpd -t and dhcpd --version', () => {
  it('the binary is here', () => assert.equal(hasDhcpdBinary(), true));

  it("dhcpd's error lines verbatim, and never a line that may show a secret", async () => {
    // The echoed conf line matches "line N:" (the key's name) and holds the secret: it must go.
    const file = join(dir, 'bad.conf');
    writeFileSync(
      file,
      `key "line 1:" { algorithm hmac-md5; secret "${SECRET}"; }; failover peer "f" { primary; address 127.0.0.1; peer address 127.0.0.2; split 128; }\n` +
        'subnet 10.99.0.0 netmask 255.255.255.0 { pool { failover peer "f"; range 10.99.0.100 10.99.0.200; } }\n',
    );
    const r = await dhcpdTest(file, { timeoutMs: 5000, cwd: dir, hide: [SECRET] });
    assert.equal(r.exitCode, 1, JSON.stringify(r));
    assert.ok(r.lines.includes(`${file} line 1: primary failover server must have mclt.`), r.lines.join('\n'));
    assert.ok(r.lines.every((l) => !l.includes(SECRET.slice(0, 12))));
  });

  it('a good conf: exit 0, no lines; the version names isc-dhcpd', async () => {
    const file = join(dir, 'good.conf');
    writeFileSync(file, 'subnet 10.99.0.0 netmask 255.255.255.0 { range 10.99.0.100 10.99.0.200; }\n');
    assert.deepEqual(await dhcpdTest(file, { timeoutMs: 5000, cwd: dir, hide: [] }), { binary: '/usr/sbin/dhcpd', exitCode: 0, lines: [] });
    assert.match((await dhcpdVersion({ timeoutMs: 5000, cwd: dir })) ?? '', /^isc-dhcpd-\d+\.\d+/);
  });
});
