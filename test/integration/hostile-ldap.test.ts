import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCa, type TlsFiles } from '../helpers/kea.js';
import { NESTED_GROUPS, startHostileLdap, type HostileLdap, type LdapBehaviour } from '../helpers/hostile-ldap.js';
import { assertHostile, runJson, TIMEOUT_ARGS } from '../helpers/hostile-run.js';

// Hostile LDAP servers (--ldap ldap://127.0.0.1:PORT: StartTLS first, with our own test CA),
// through the built CLI. The permissions check, which asks the directory, ends `unknown` with
// the directory's failure in its details; dns and ip keep their statuses; exit 3 within
// --timeout + 1 s. No partner source is given, so nothing else can answer permissions.
//
// 10 000 nested groups: provisioning ten thousand nested groups in the real Samba DC
// (test/helpers/samba.ts) means ten thousand LDAP adds plus member links, minutes of setup per
// run, so a fake DC stands in. Membership is asked with one LDAP_MATCHING_RULE_IN_CHAIN read,
// so the depth costs the server, not us: the fake answers it (with all 10 000 groups in
// memberOf, unasked) or never answers it (still walking); the client must not walk the chain.

const PASSWORD = 'Ldap-Hostile-Pw-7731!';

describe('hostile LDAP servers (--ldap ldap://127.0.0.1:PORT, StartTLS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-hostile-ldap-'));
  let tls: TlsFiles;
  let baseline: Record<string, string>;
  const servers: HostileLdap[] = [];
  const outputs: string[] = [];

  const start = async (b: LdapBehaviour) => {
    const s = await startHostileLdap(b, tls);
    servers.push(s);
    return s;
  };
  const run = async (s: HostileLdap) => {
    const r = await runJson(
      [
        '127.0.0.2',
        '--only',
        'dns,ip,permissions',
        ...TIMEOUT_ARGS,
        '--ldap',
        s.url,
        '--ldap-ca',
        tls.caFile,
        '--ldap-bind-dn',
        'Administrator@LAB.TEST',
        '--user',
        'dhcpadmin',
      ],
      { env: { LDAP_PASSWORD: PASSWORD } },
    );
    outputs.push(r.run.stdout, r.run.stderr);
    return r;
  };

  before(async () => {
    tls = makeTestCa(dir);
    const honest = await start('honest');
    const r = await run(honest);
    baseline = r.statuses;
    assert.equal(r.by('permissions').status, 'pass', JSON.stringify(r.by('permissions')));
    assert.equal(r.by('permissions').details.membership, 'direct');
    assert.deepEqual({ dns: baseline.dns, ip: baseline.ip }, { dns: 'pass', ip: 'warn' });
    assert.ok(honest.ops.includes('extended') && honest.ops.includes('bind'), `StartTLS and bind expected: ${honest.ops.join(',')}`);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('accepts and never answers (not even StartTLS): unknown, "no answer within 2000 ms", exit 3, < 3 s', async () => {
    const s = await start('silent');
    const r = await run(s);
    assertHostile(r, {
      id: 'permissions',
      status: 'unknown',
      cause: /starttls on 127\.0\.0\.1:\d+ got no answer within 2000 ms|took longer than 2000 ms \(no answer to the StartTLS request\)/,
      code: 3,
      baseline,
    });
    assert.equal(s.ops[0], 'extended');
    assert.ok(!s.ops.includes('bind'), 'the password went out before TLS');
  });

  test('closes the connection in the middle of the bind response: unknown, "closed", exit 3, < 3 s', async () => {
    const s = await start('close-mid-bind');
    const r = await run(s);
    // Nothing is left to wait for: no unbind on the dead connection, no operation timer holding the process.
    assertHostile(r, {
      id: 'permissions',
      status: 'unknown',
      cause: /LDAP bind on 127\.0\.0\.1:\d+ failed: .*Connection closed/,
      code: 3,
      baseline,
      boundMs: 1500,
    });
  });

  test('a referral loop (every search refers back to the same server): not followed, unknown with code 10, exit 3', async () => {
    const s = await start('referral-loop');
    const r = await run(s);
    assertHostile(r, { id: 'permissions', status: 'unknown', cause: /LDAP search on 127\.0\.0\.1:\d+ failed \(10\)/, code: 3, baseline });
    assert.equal(s.connections, 1, 'the referral was followed');
    assert.equal(s.searches, 1);
  });

  test('a continuation-reference loop (every page: a reference to itself and "more"): bounded, exit 3, < 3 s', async () => {
    const s = await start('reference-loop');
    const r = await run(s);
    assertHostile(r, { id: 'permissions', status: 'unknown', cause: /answered only with references to other servers \(not followed\)/, code: 3, baseline });
    assert.equal(s.connections, 1, 'a reference was followed');
    assert.ok(s.searches < 50, `the client kept paging: ${s.searches} searches`);
  });

  test(`${NESTED_GROUPS} nested groups, answered with all of them in memberOf: nested member (pass), one in-chain read, no walk`, async () => {
    const s = await start('nested-10000');
    const r = await run(s);
    const p = r.by('permissions');
    assert.equal(p.status, 'pass', JSON.stringify(p));
    assert.equal(p.details.membership, 'nested');
    assert.ok(r.run.wallMs < 3000, `${Math.round(r.run.wallMs)} ms`);
    assert.ok(s.searches < 20, `${s.searches} searches: the client walked the chain itself`);
    assert.equal(r.statuses.dns, baseline.dns);
    assert.equal(r.statuses.ip, baseline.ip);
  });

  test(`${NESTED_GROUPS} nested groups, the DC never finishes the in-chain read: unknown with the cause, exit 3, < 3 s`, async () => {
    const s = await start('nested-busy');
    const r = await run(s);
    assertHostile(r, {
      id: 'permissions',
      status: 'unknown',
      cause: /search on 127\.0\.0\.1:\d+ got no answer within 2000 ms|took longer than 2000 ms \(no answer to the search\)/,
      code: 3,
      baseline,
    });
  });

  test('every answer comes after 1.5 s (each within the per-operation timeout): the whole query is still bounded by --timeout', async () => {
    const s = await start('slow');
    const r = await run(s);
    assertHostile(r, {
      id: 'permissions',
      status: 'unknown',
      cause: /directory queries took longer than 2000 ms \(no answer to the (bind|search)\)/,
      code: 3,
      baseline,
    });
  });

  test('the LDAP password appears in no output', () => {
    assert.ok(outputs.length >= 14);
    for (const o of outputs) assert.ok(!o.includes(PASSWORD), 'the password leaked');
  });
});
