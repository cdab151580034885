import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Client } from 'ldapts';
import { startDaemon, waitReady, type Daemon } from './daemon.js';

/**
 * A real Samba AD DC on loopback, provisioned fresh in a temp dir
 * (recipe: /work/shared/recipes/REAL-SERVERS.md, "Active Directory: Samba AD DC on loopback"),
 * seeded with the users, groups, computers and DHCP authorizations the directory tests need.
 * Samba listens on the fixed ports 389/636 of 127.0.0.1 and ::1, so only one can run at a time.
 */

const run = promisify(execFile);
const READY_WITHIN_MS = 20_000;
const POLL_MS = 250;

export const REALM = 'LAB.TEST';
export const BASE = 'DC=lab,DC=test';
export const CONFIG_NC = `CN=Configuration,${BASE}`;
export const DHCP_ROOT = `CN=DhcpRoot,CN=NetServices,CN=Services,${CONFIG_NC}`;
/** Password of every seeded user (the Administrator's is returned by startSambaDc). */
export const USER_PASSWORD = 'Us3r-Passw0rd!x';

const users = (cn: string) => `CN=${cn},CN=Users,${BASE}`;
export const SEED = {
  adminGroup: users('DHCP Administrators'),
  nestedGroup: users('DHCP Nested Ops'),
  dhcpadmin: users('dhcpadmin'),
  nesteduser: users('nesteduser'),
  plainuser: users('plainuser'),
  dhcp2: `CN=DHCP2,CN=Computers,${BASE}`,
  dhcpold: `CN=DHCPOLD,CN=Computers,${BASE}`,
  authorized: ['i10.99.0.11$rcn=dhcp1.lab.test$f0x00000000$', 'i10.99.0.12$rcn=dhcp2.lab.test$f0x00000000$'],
};

export interface SambaDc {
  pid: number;
  dir: string;
  /** CA of the DC's certificate (SAN: dc1.lab.test, localhost, 127.0.0.1; not ::1). */
  caFile: string;
  adminPassword: string;
  ldapUrl: string;
  ldapsUrl: string;
  stop(): Promise<void>;
}

/** Another DC already on 389 would answer our readiness poll and fake a start. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
  });
}

async function provision(dir: string, adminPassword: string): Promise<void> {
  try {
    await run(
      'samba-tool',
      [
        'domain',
        'provision',
        `--targetdir=${dir}`,
        `--realm=${REALM}`,
        '--domain=LAB',
        '--server-role=dc',
        '--dns-backend=NONE',
        `--adminpass=${adminPassword}`,
        '--use-rfc2307',
        '--host-name=dc1',
        '--option=interfaces=lo',
        '--option=bind interfaces only=yes',
      ],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    const out = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`samba-tool domain provision failed: ${e.message.split('\n')[0]}\n${out}`);
  }
}

/** The shares it inherits from the system config need /var paths and printing: drop them. */
async function editSmbConf(dir: string, strongAuth: boolean): Promise<string> {
  const path = join(dir, 'etc', 'smb.conf');
  const original = await readFile(path, 'utf8');
  const sections = original.split(/^(?=\[)/m);
  const kept = sections.filter((s) => !/^\[(homes|printers|print\$)\]/.test(s));
  const tls = join(dir, 'private', 'tls');
  const extra = [
    `ldap server require strong auth = ${strongAuth ? 'yes' : 'no'}`,
    `log file = ${join(dir, 'log', 'log.%m')}`,
    `pid directory = ${join(dir, 'run')}`,
    `ncalrpc dir = ${join(dir, 'run', 'ncalrpc')}`,
    `winbindd socket directory = ${join(dir, 'run', 'winbindd')}`,
    `ntp signd socket directory = ${join(dir, 'run', 'ntp_signd')}`,
    'load printers = no',
    'printcap name = /dev/null',
    'disable spoolss = yes',
    `tls keyfile = ${join(tls, 'key.pem')}`,
    `tls certfile = ${join(tls, 'cert.pem')}`,
    `tls cafile = ${join(tls, 'ca.pem')}`,
  ].map((line) => `\t${line}\n`);
  const conf = kept.join('').replace(/^\[global\]\n/m, (g) => g + extra.join(''));
  await writeFile(path, conf);
  return path;
}

/**
 * Samba's self-made certificate names only DC1.lab.test (CN, no SAN), which no client reaching
 * it as 127.0.0.1 can verify; so the helper makes a CA and a server certificate that can be.
 */
async function makeCertificates(dir: string): Promise<string> {
  const tls = join(dir, 'private', 'tls');
  await mkdir(tls, { recursive: true });
  const p = (name: string) => join(tls, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-days',
    '2',
    '-subj',
    '/O=dhcp-failover-check tests/CN=Lab Test CA',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', ['req', ...ec, '-subj', '/CN=dc1.lab.test', '-keyout', p('key.pem'), '-out', p('req.csr')]);
  await writeFile(
    p('ext.cnf'),
    'subjectAltName=DNS:dc1.lab.test,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' + 'keyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('req.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
    '-out',
    p('cert.pem'),
  ]);
  // Samba refuses a key file others can read.
  await chmod(p('key.pem'), 0o600);
  return p('ca.pem');
}

async function canBind(url: string, caFile: string, password: string): Promise<string | undefined> {
  const client = new Client({
    url,
    timeout: 2000,
    connectTimeout: 1000,
    tlsOptions: { ca: await readFile(caFile) },
  });
  try {
    await client.bind(`Administrator@${REALM}`, password);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * A provisioned, seeded DC, or an error. One failed start is tried again (once seen in CI: both
 * DC suites failed within 8 s and passed on the next run); a second failure throws with both causes.
 */
export async function startSambaDc(opts: { strongAuth?: boolean } = {}): Promise<SambaDc> {
  for (const port of [389, 636]) {
    if (await portTaken(port)) {
      throw new Error(`127.0.0.1:${port} is already taken (another Samba DC?): cannot start a test DC`);
    }
  }
  try {
    return await startOnce(opts);
  } catch (first) {
    console.error(`samba: the DC did not start, trying once more: ${first instanceof Error ? first.message : String(first)}`);
    try {
      return await startOnce(opts);
    } catch (second) {
      throw new Error(`samba: the DC did not start twice: ${String(first)} / then: ${String(second)}`);
    }
  }
}

async function startOnce(opts: { strongAuth?: boolean }): Promise<SambaDc> {
  const dir = await mkdtemp(join(tmpdir(), 'samba-dc-test-'));
  const adminPassword = 'Adm1n-Passw0rd!x';
  const t0 = performance.now();
  let daemon: Daemon | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await daemon?.stop();
      // samba's own children can still create msg.sock / msg.lock for a moment after it exits.
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    })());

  try {
    await provision(dir, adminPassword);
    const provisionedMs = Math.round(performance.now() - t0);
    const conf = await editSmbConf(dir, opts.strongAuth ?? false);
    for (const sub of ['log', 'run', 'cache']) await mkdir(join(dir, sub), { recursive: true });
    const caFile = await makeCertificates(dir);

    // stdin stays a pipe: if this process dies, samba -i sees EOF and exits instead of lingering;
    // --maximum-runtime is the backstop.
    const dc = await startDaemon({
      name: 'samba (AD DC)',
      command: 'samba',
      args: ['-i', '-s', conf, '--maximum-runtime=1800'],
      stdin: 'pipe',
      outputFile: join(dir, 'samba.out'),
      logFiles: [join(dir, 'log', 'log.samba')],
      graceMs: 5000,
      hint: 'install samba-ad-dc',
    });
    daemon = dc;

    const ldapsUrl = 'ldaps://127.0.0.1:636';
    await waitReady(dc, async () => (await canBind(ldapsUrl, caFile, adminPassword)) ?? true, {
      what: `samba to accept a simple bind on ${ldapsUrl}`,
      withinMs: READY_WITHIN_MS,
      everyMs: POLL_MS,
    });
    const readyMs = Math.round(performance.now() - t0);
    await seed(ldapsUrl, caFile, adminPassword);
    if (process.env.SAMBA_TIMINGS) {
      console.error(`samba: provisioned ${provisionedMs} ms, bind ready ${readyMs} ms, seeded ${Math.round(performance.now() - t0)} ms`);
    }
    return {
      pid: dc.pid,
      dir,
      caFile,
      adminPassword,
      ldapUrl: 'ldap://127.0.0.1:389',
      ldapsUrl,
      stop,
    };
  } catch (err) {
    // The reason the DC did not start is the error to see, not a cleanup problem after it.
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Fixture writes, as Windows and ADUC would make them. */
async function seed(url: string, caFile: string, adminPassword: string): Promise<void> {
  const client = new Client({
    url,
    timeout: 10_000,
    connectTimeout: 5000,
    tlsOptions: { ca: await readFile(caFile) },
  });
  const pwd = new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${USER_PASSWORD}"`, 'utf16le')] });
  const user = async (dn: string, sam: string) =>
    client.add(dn, [
      new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
      new Attribute({ type: 'sAMAccountName', values: [sam] }),
      new Attribute({ type: 'userPrincipalName', values: [`${sam}@lab.test`] }),
      new Attribute({ type: 'userAccountControl', values: ['512'] }),
      pwd,
    ]);
  const computer = async (dn: string, name: string, os: string, osv: string) =>
    client.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
      sAMAccountName: `${name}$`,
      userAccountControl: '4096',
      dNSHostName: `${name.toLowerCase()}.lab.test`,
      operatingSystem: os,
      operatingSystemVersion: osv,
    });
  try {
    await client.bind(`Administrator@${REALM}`, adminPassword);
    await user(SEED.dhcpadmin, 'dhcpadmin');
    await user(SEED.nesteduser, 'nesteduser');
    await user(SEED.plainuser, 'plainuser');
    await client.add(SEED.nestedGroup, {
      objectClass: ['top', 'group'],
      sAMAccountName: 'DHCP Nested Ops',
      groupType: '-2147483646', // global security group
      member: [SEED.nesteduser],
    });
    await client.add(SEED.adminGroup, {
      objectClass: ['top', 'group'],
      sAMAccountName: 'DHCP Administrators',
      groupType: '-2147483644', // domain-local security group, as on a Windows DC
      member: [SEED.dhcpadmin, SEED.nestedGroup],
    });
    await computer(SEED.dhcp2, 'DHCP2', 'Windows Server 2022 Standard', '10.0 (20348)');
    await computer(SEED.dhcpold, 'DHCPOLD', 'Windows Server 2008 R2 Enterprise', '6.1 (7601)');
    await client.add(DHCP_ROOT, {
      objectClass: ['top', 'dHCPClass'],
      dhcpUniqueKey: '0',
      dhcpType: '0',
      dhcpIdentification: 'This is a server object',
      dhcpFlags: '0',
      dhcpServers: SEED.authorized,
    });
  } catch (err) {
    throw new Error(`seeding the test DC failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
