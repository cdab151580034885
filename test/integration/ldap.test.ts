import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { Attribute, Change, Client } from 'ldapts';
import type { LdapOptions } from '../../src/plan.js';
import { toProbeError } from '../../src/probes/ldap-errors.js';
import { escapeFilterValue, parseDhcpServers, values } from '../../src/probes/ldap-parse.js';
import { parseOsVersion, queryDirectory, type DirectoryTarget } from '../../src/probes/ldap.js';
import { ProbeError } from '../../src/util/errors.js';
import { DHCP_ROOT, SEED, USER_PASSWORD, startSambaDc, type SambaDc } from '../helpers/samba.js';

// One DC for the whole file (provisioning costs ~5 s). It requires strong auth, like a hardened
// Windows DC, so every successful query here also proves LDAPS / StartTLS carry the bind.

const TIMEOUT = { timeoutMs: 5000 };
const DHCP1: DirectoryTarget = { name: 'dhcp1.lab.test', address: '10.99.0.11' };
const DHCP2: DirectoryTarget = { name: 'dhcp2.lab.test' };
const DHCPOLD: DirectoryTarget = { name: 'dhcpold.lab.test' };
/** Distinctive enough that finding it anywhere can only mean a leak. */
const SECRET = 'Zebra-Quokka-7731-secret!';

let dc: SambaDc;

function options(over: Partial<LdapOptions> = {}): LdapOptions {
  return {
    url: dc.ldapsUrl,
    bindDn: 'Administrator@LAB.TEST',
    password: dc.adminPassword,
    caFile: dc.caFile,
    insecure: false,
    adminGroup: 'DHCP Administrators',
    ...over,
  };
}

const query = (over: Partial<LdapOptions> = {}, partner: DirectoryTarget = DHCP2, run: { timeoutMs: number; signal?: AbortSignal } = TIMEOUT) =>
  queryDirectory(options(over), { local: DHCP1, partner }, run);

async function probeFailure(promise: Promise<unknown>): Promise<ProbeError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProbeError, `a ProbeError, got ${String(err)}`);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    if (process.env.LDAP_TEST_MESSAGES) console.error(`${err.code}: ${err.message}`);
    return err;
  }
  assert.fail('expected a ProbeError');
}

function assertNoSecret(err: ProbeError, secret: string): void {
  for (const text of [err.message, String(err), err.stack ?? '', JSON.stringify(err)]) {
    assert.ok(!text.includes(secret), `password leaked: ${text}`);
  }
}

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

describe('queryDirectory against a Samba AD DC', () => {
  before(async () => {
    dc = await startSambaDc({ strongAuth: true });
  });
  after(async () => {
    await dc?.stop();
    if (dc) assert.throws(() => process.kill(dc.pid, 0), { code: 'ESRCH' }, `samba ${dc.pid} is gone`);
  });

  describe('permissions', () => {
    it('finds a direct member by sAMAccountName', async () => {
      const facts = await query({ user: 'dhcpadmin' });
      assert.equal(facts.base, 'DC=lab,DC=test');
      assert.equal(facts.membership, 'direct');
      assert.equal(facts.user.dn, SEED.dhcpadmin);
      assert.equal(facts.group.dn, SEED.adminGroup);
    });

    it('finds a member through a nested group, by UPN', async () => {
      const facts = await query({ user: 'nesteduser@lab.test' });
      assert.equal(facts.membership, 'nested');
      assert.equal(facts.user.dn, SEED.nesteduser);
    });

    it('says none for a user outside the group, by DN', async () => {
      const facts = await query({ user: SEED.plainuser });
      assert.equal(facts.membership, 'none');
      assert.equal(facts.user.dn, SEED.plainuser);
      assert.equal(facts.group.dn, SEED.adminGroup);
    });

    it('checks the bind identity when no user is given', async () => {
      const facts = await query({ bindDn: 'dhcpadmin@lab.test', password: USER_PASSWORD });
      assert.equal(facts.user.input, 'dhcpadmin@lab.test');
      assert.equal(facts.membership, 'direct');
    });

    it('finds an account without a userPrincipalName by its implicit UPN (Administrator)', async () => {
      const facts = await query();
      assert.equal(facts.user.dn, 'CN=Administrator,CN=Users,DC=lab,DC=test');
      assert.equal(facts.membership, 'none');
    });

    it('accepts the group as a DN, and a bind DN instead of a UPN', async () => {
      const facts = await query({
        bindDn: 'CN=Administrator,CN=Users,DC=lab,DC=test',
        user: 'nesteduser',
        adminGroup: SEED.nestedGroup,
      });
      assert.equal(facts.membership, 'direct');
      assert.equal(facts.group.dn, SEED.nestedGroup);
    });

    it('leaves membership undefined, with the member-server hint, when the group is missing', async () => {
      const facts = await query({ user: 'dhcpadmin', adminGroup: 'No Such Group' });
      assert.equal(facts.membership, undefined);
      assert.equal(facts.group.dn, undefined);
      assert.ok(
        facts.notes.some((n) => n.includes('No Such Group') && n.includes('local group')),
        facts.notes.join('|'),
      );
    });

    it('escapes filter values: "plain*" is not a wildcard, and ")(" breaks nothing', async () => {
      for (const user of ['plain*', 'x)(sAMAccountName=plainuser']) {
        const facts = await query({ user });
        assert.equal(facts.user.dn, undefined, user);
        assert.equal(facts.membership, undefined);
        assert.ok(
          facts.notes.some((n) => n.includes('not found')),
          facts.notes.join('|'),
        );
      }
    });
  });

  describe('partner version', () => {
    it('reads Windows Server 2008 R2 as 6.1', async () => {
      const facts = await query({}, DHCPOLD);
      const partner = facts.computers.partner;
      assert.equal(partner?.dn, SEED.dhcpold);
      assert.equal(partner?.operatingSystem, 'Windows Server 2008 R2 Enterprise');
      assert.deepEqual({ ...partner?.version, text: undefined }, { product: 'Windows Server', major: 6, minor: 1, build: 7601, text: undefined });
    });

    it('reads Windows Server 2022 as 10.0, by DNS name and by NetBIOS name', async () => {
      for (const partner of [DHCP2, { name: 'DHCP2' }, { name: 'DHCP2.LAB.TEST' }]) {
        const facts = await query({}, partner);
        assert.equal(facts.computers.partner?.dn, SEED.dhcp2, partner.name);
        assert.equal(facts.computers.partner?.version?.major, 10);
        assert.equal(facts.computers.partner?.version?.minor, 0);
        assert.equal(facts.computers.partner?.version?.build, 20348);
      }
    });

    it('finds a partner given only by address through its authorization entry, else says why not', async () => {
      const viaAuth = await query({}, { address: '10.99.0.12' });
      assert.equal(viaAuth.computers.partner?.dn, SEED.dhcp2);
      const unknown = await query({}, { address: '10.99.0.99' });
      assert.equal(unknown.computers.partner, undefined);
      assert.ok(
        unknown.notes.some((n) => n.includes('10.99.0.99') && n.includes('DNS name')),
        unknown.notes.join('|'),
      );
    });
  });

  describe('authorization', () => {
    it('lists both authorized servers and matches by address or name', async () => {
      const facts = await query({}, DHCP2);
      assert.deepEqual(facts.authorizedServers.map((e) => [e.address, e.name]).sort(), [
        ['10.99.0.11', 'dhcp1.lab.test'],
        ['10.99.0.12', 'dhcp2.lab.test'],
      ]);
      assert.equal(facts.authorization.local?.address, '10.99.0.11');
      assert.equal(facts.authorization.partner?.name, 'dhcp2.lab.test');
    });

    it('says null (looked up, not authorized) for dhcpold', async () => {
      const facts = await query({}, DHCPOLD);
      assert.equal(facts.authorization.partner, null);
      assert.ok(facts.authorization.local);
    });

    it('says undefined when there is nothing to match on', async () => {
      const facts = await queryDirectory(options(), { local: {}, partner: DHCP2 }, TIMEOUT);
      assert.equal(facts.authorization.local, undefined);
      assert.ok(facts.authorization.partner);
    });
  });

  describe('transport and failures', () => {
    it('verifies LDAPS against the given CA', async () => {
      const facts = await query({ url: dc.ldapsUrl });
      assert.equal(facts.notes.filter((n) => n.includes('not verified')).length, 0);
    });

    it('rejects LDAPS without the CA as tls, naming the reason and --ldap-ca', async () => {
      const err = await probeFailure(query({ caFile: undefined, password: SECRET }));
      assert.equal(err.code, 'tls');
      assert.match(err.message, /--ldap-ca/);
      assert.match(err.message, /certificate/i);
      assertNoSecret(err, SECRET);
    });

    it('rejects a certificate that does not name the host (::1 is not in its SAN)', async () => {
      const err = await probeFailure(query({ url: 'ldaps://[::1]:636' }));
      assert.equal(err.code, 'tls');
      assert.match(err.message, /ERR_TLS_CERT_ALTNAME_INVALID/);
      assert.match(err.message, /host name the certificate lists/);
    });

    it('accepts LDAPS without verification when insecure, and notes it', async () => {
      const facts = await query({ caFile: undefined, insecure: true, user: 'dhcpadmin' });
      assert.equal(facts.membership, 'direct');
      assert.ok(facts.notes.some((n) => n.includes('not verified')));
    });

    it('uses StartTLS on ldap:// with the CA, and rejects it without', async () => {
      const facts = await query({ url: dc.ldapUrl, user: 'nesteduser' });
      assert.equal(facts.membership, 'nested');
      const err = await probeFailure(query({ url: dc.ldapUrl, caFile: undefined }));
      assert.equal(err.code, 'tls');
      assert.match(err.message, /--ldap-ca/);
    });

    it('maps a wrong password to invalid-credentials with data 52e, without the password', async () => {
      for (const url of [dc.ldapsUrl, dc.ldapUrl]) {
        const err = await probeFailure(query({ url, password: SECRET }));
        assert.equal(err.code, 'invalid-credentials');
        assert.match(err.message, /\(49, data 52e/);
        assert.match(err.message, /Administrator@LAB\.TEST/);
        assertNoSecret(err, SECRET);
      }
    });

    it('refuses a bind DN without a password rather than binding anonymously', async () => {
      const err = await probeFailure(query({ password: undefined }));
      assert.equal(err.code, 'invalid-credentials');
      assert.match(err.message, /LDAP_PASSWORD/);
    });

    it('maps the DC\'s real "strong auth required" (8) to a hint for ldaps:// or StartTLS', async () => {
      // queryDirectory never binds in clear text, so the DC's answer is provoked with ldapts directly.
      const client = new Client({ url: dc.ldapUrl, timeout: 5000, connectTimeout: 5000 });
      let raw: unknown;
      try {
        await client.bind('Administrator@LAB.TEST', SECRET);
      } catch (err) {
        raw = err;
      } finally {
        await client.unbind().catch(() => undefined);
      }
      assert.equal((raw as { code?: unknown }).code, 8, String(raw));
      const err = toProbeError(raw, {
        phase: 'bind',
        endpoint: '127.0.0.1:389',
        timeoutMs: 5000,
        password: SECRET,
      });
      assert.equal(err.code, 'strong-auth-required');
      assert.match(err.message, /use ldaps:\/\/ or StartTLS/);
      assertNoSecret(err, SECRET);
    });

    it('says unreachable, quickly, when nothing listens', async () => {
      const port = await closedPort();
      for (const url of [`ldaps://127.0.0.1:${port}`, `ldap://127.0.0.1:${port}`]) {
        const started = Date.now();
        const err = await probeFailure(query({ url, password: SECRET }));
        assert.equal(err.code, 'unreachable', err.message);
        assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
        assertNoSecret(err, SECRET);
      }
    });

    it('times out against a server that never answers, within the timeouts', async () => {
      const { port, server } = await silentServer();
      try {
        const started = Date.now();
        const err = await probeFailure(query({ url: `ldap://127.0.0.1:${port}` }, DHCP2, { timeoutMs: 300 }));
        assert.equal(err.code, 'timeout', err.message);
        assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
        const tls = await probeFailure(query({ url: `ldaps://127.0.0.1:${port}` }, DHCP2, { timeoutMs: 300 }));
        assert.ok(tls.code === 'unreachable' || tls.code === 'timeout', tls.message);
      } finally {
        server.close();
      }
    });

    it('stops when the caller aborts', async () => {
      const { port, server } = await silentServer();
      try {
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 100);
        const started = Date.now();
        const err = await probeFailure(query({ url: `ldap://127.0.0.1:${port}` }, DHCP2, { timeoutMs: 10_000, signal: ac.signal }));
        assert.equal(err.code, 'timeout');
        assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
      } finally {
        server.close();
      }
    });

    it('never puts the password in successful results either', async () => {
      const facts = await query({ user: 'nobody-here', adminGroup: 'Nobody Group' }, { address: '10.1.2.3' });
      assert.ok(!JSON.stringify(facts).includes(dc.adminPassword));
    });
  });

  describe('a single dhcpServers value', () => {
    // Last on purpose: it rewrites the fixture's DhcpRoot.
    it('comes back as a string from ldapts and is still read as a list', async () => {
      const admin = new Client({ url: dc.ldapsUrl, timeout: 5000, connectTimeout: 5000, tlsOptions: { rejectUnauthorized: false } });
      try {
        await admin.bind('Administrator@LAB.TEST', dc.adminPassword);
        const only = 'i10.99.0.12$rcn=dhcp2.lab.test$f0x00000000$';
        await admin.modify(DHCP_ROOT, new Change({ operation: 'replace', modification: new Attribute({ type: 'dhcpServers', values: [only] }) }));
        const raw = await admin.search(DHCP_ROOT, { scope: 'base', attributes: ['dhcpServers'] });
        assert.equal(typeof raw.searchEntries[0]?.['dhcpServers'], 'string');
      } finally {
        await admin.unbind().catch(() => undefined);
      }
      const facts = await query({}, DHCP2);
      assert.deepEqual(
        facts.authorizedServers.map((e) => e.name),
        ['dhcp2.lab.test'],
      );
      assert.equal(facts.authorization.local, null);
      assert.equal(facts.authorization.partner?.address, '10.99.0.12');
    });
  });
});

describe('directory value parsing', () => {
  it('parses the operatingSystemVersion forms', () => {
    assert.deepEqual(parseOsVersion('6.3 (9600)'), { major: 6, minor: 3, build: 9600 });
    assert.deepEqual(parseOsVersion('10.0 (20348)'), { major: 10, minor: 0, build: 20348 });
    assert.deepEqual(parseOsVersion('6.1.7601'), { major: 6, minor: 1, build: 7601 });
    assert.deepEqual(parseOsVersion('10.0'), { major: 10, minor: 0 });
    assert.equal(parseOsVersion('Windows'), undefined);
    assert.equal(parseOsVersion(''), undefined);
  });

  it('parses dhcpServers values, also several run together', () => {
    assert.deepEqual(
      parseDhcpServers(['i10.0.0.1$rcn=a.lab.test$f0x00000000$i10.0.0.2$rcn=b.lab.test$f0x00000000$', 'junk']).map((e) => [e.address, e.name]),
      [
        ['10.0.0.1', 'a.lab.test'],
        ['10.0.0.2', 'b.lab.test'],
      ],
    );
  });

  it('escapes filter values per RFC 4515 and normalises single values to lists', () => {
    assert.equal(escapeFilterValue('a*b(c)d\\e\0'), 'a\\2ab\\28c\\29d\\5ce\\00');
    assert.deepEqual(values({ dn: 'x', member: 'one' }, 'MEMBER'), ['one']);
    assert.deepEqual(values({ dn: 'x', member: ['one', 'two'] }, 'member'), ['one', 'two']);
    assert.deepEqual(values({ dn: 'x' }, 'member'), []);
  });
});
