import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan, parseEndpoint, parseSourceSpec, readConfigFile, type BuildEnv } from '../../src/config.js';
import { ConfigSchema, type ConfigInput } from '../../src/config-schema.js';
import { CHECK_IDS } from '../../src/checks/ids.js';
import { InputError } from '../../src/util/errors.js';

/** The nine documented checks, in documented order; more of our own may follow them. */
const NINE = ['dns', 'ip', 'reachability', 'version', 'permissions', 'relationships', 'service', 'time', 'scopes'];

const env = { env: {}, stdoutIsTTY: false };

/** Asserts `fn` throws a one-line InputError whose message contains every one of `parts`. */
async function rejectsInput(fn: () => Promise<unknown>, ...parts: string[]): Promise<InputError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
  for (const part of parts) assert.ok(caught.message.includes(part), `"${caught.message}" should name ${part}`);
  assert.doesNotMatch(caught.message, /\n/);
  return caught;
}

function throwsInput(fn: () => unknown, ...parts: string[]): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
  for (const part of parts) assert.ok(caught.message.includes(part), `"${caught.message}" should name ${part}`);
  assert.doesNotMatch(caught.message, /\n/);
  return caught;
}

const plan = (input: Record<string, unknown>, e: BuildEnv = env) => buildPlan({ partner: '10.0.0.2', ...input } as ConfigInput, e);

describe('buildPlan on good input', () => {
  it('fills the documented defaults', async () => {
    const p = await buildPlan({ partner: 'dhcp2.corp.example' }, env);
    assert.equal(p.partner, 'dhcp2.corp.example');
    assert.equal(p.timeoutMs, 5000);
    assert.equal(p.maxTimeSkewSeconds, 60);
    // undefined means the platform's port: 647 (the reachability check fills it in; Kea: the agent's port).
    assert.equal(p.failoverPort ?? 647, 647);
    assert.equal((await plan({ failoverPort: 8647 })).failoverPort, 8647);
    assert.deepEqual(p.checks.slice(0, 9), NINE, 'all nine documented checks, in documented order');
    assert.deepEqual(p.checks, [...CHECK_IDS], 'and every other known check');
    assert.deepEqual(p.ignore, []);
    assert.equal(p.format, 'human');
    assert.deepEqual(p.outputs, []);
    assert.equal(p.scopes, undefined);
    assert.equal(p.local, undefined);
    assert.equal(p.color, false);
    assert.equal(p.quiet, false);
    assert.equal(p.verbose, false);
  });
  it('parses durations, lists, sources and endpoints', async () => {
    const p = await plan({
      maxTimeSkew: '1.5m',
      timeout: '500ms',
      scopes: '10.0.0.0/24, 10.1.0.0',
      only: ['time,dns', 'ip'],
      ignore: 'time',
      localSource: 'inventory:local.yaml',
      partnerSource: 'kea:http://127.0.0.1:8000',
      localNtp: '127.0.0.1',
      partnerNtp: 'ntp.corp.example:1123',
      output: 'json=report.json,junit=out/junit.xml',
      format: 'tap',
    });
    assert.equal(p.maxTimeSkewSeconds, 90);
    assert.equal(p.timeoutMs, 500);
    assert.deepEqual(p.scopes, [
      { text: '10.0.0.0/24', network: 0x0a000000, prefix: 24 },
      { text: '10.1.0.0', network: 0x0a010000 },
    ]);
    assert.deepEqual(p.checks, ['dns', 'ip', 'time'], 'documented order, not the order given');
    assert.deepEqual(p.ignore, ['time']);
    assert.deepEqual(p.localSource, { kind: 'inventory', path: 'local.yaml' });
    assert.deepEqual(p.partnerSource, { kind: 'kea', url: 'http://127.0.0.1:8000/' });
    assert.deepEqual(p.localNtp, { host: '127.0.0.1', port: 123 });
    assert.deepEqual(p.partnerNtp, { host: 'ntp.corp.example', port: 1123 });
    assert.deepEqual(p.outputs, [
      { format: 'json', path: 'report.json' },
      { format: 'junit', path: 'out/junit.xml' },
    ]);
    assert.equal(p.format, 'tap');
  });
  it('takes numbers as seconds', async () => {
    const p = await plan({ timeout: 2, maxTimeSkew: 30 });
    assert.equal(p.timeoutMs, 2000);
    assert.equal(p.maxTimeSkewSeconds, 30);
  });
  it('--skip removes checks', async () => {
    assert.deepEqual(
      (await plan({ skip: 'time,scopes' })).checks,
      CHECK_IDS.filter((id) => id !== 'time' && id !== 'scopes'),
    );
    assert.deepEqual((await plan({ skip: 'time,scopes' })).checks.slice(0, 7), NINE.slice(0, 7));
  });
  it('colours only a terminal, unless NO_COLOR or FORCE_COLOR say otherwise', async () => {
    assert.equal((await plan({}, { env: {}, stdoutIsTTY: true })).color, true);
    assert.equal((await plan({}, { env: { NO_COLOR: '1' }, stdoutIsTTY: true })).color, false);
    // no-color.org: only a non-empty NO_COLOR turns colour off.
    assert.equal((await plan({}, { env: { NO_COLOR: '' }, stdoutIsTTY: true })).color, true);
    assert.equal((await plan({ color: false }, { env: {}, stdoutIsTTY: true })).color, false);
    assert.equal((await plan({}, { env: { FORCE_COLOR: '1' }, stdoutIsTTY: false })).color, true);
    assert.equal((await plan({}, { env: { FORCE_COLOR: '0' }, stdoutIsTTY: false })).color, false);
    assert.equal((await plan({}, { env: { FORCE_COLOR: '0' }, stdoutIsTTY: true })).color, false, "FORCE_COLOR=0 turns a terminal's colour off");
    assert.equal((await plan({}, { env: { TERM: 'dumb' }, stdoutIsTTY: true })).color, false, 'TERM=dumb has no colour');
    assert.equal((await plan({}, { env: { TERM: 'dumb', FORCE_COLOR: '1' }, stdoutIsTTY: true })).color, true, 'FORCE_COLOR=1 still forces');
  });
});

describe('buildPlan on bad input', () => {
  it('rejects an unknown check id in --only, --skip and --ignore, naming it', async () => {
    await rejectsInput(() => plan({ only: 'dns,bogus' }), '--only', '"bogus"');
    await rejectsInput(() => plan({ skip: ['tyme'] }), '--skip', '"tyme"');
    await rejectsInput(() => plan({ ignore: 'zzz' }), '--ignore', '"zzz"');
  });
  it('rejects --only with --skip', async () => {
    await rejectsInput(() => plan({ only: 'dns', skip: 'ip' }), '--only', '--skip');
  });
  it('rejects skipping every check', async () => {
    await rejectsInput(() => plan({ skip: CHECK_IDS.join(',') }), '--skip');
  });
  it('rejects an unknown format through ConfigSchema, naming the key', async () => {
    assert.equal(ConfigSchema.safeParse({ partner: 'x', format: 'xml' }).success, false);
    await rejectsInput(() => plan({ format: 'xml' }), 'format');
  });
  it('rejects an unknown format, naming the value', async () => {
    await rejectsInput(() => plan({ format: 'xml' }), 'xml');
  });
  it('rejects --output with an unknown format, naming it', async () => {
    await rejectsInput(() => plan({ output: 'xml=out.xml' }), '--output', '"xml"');
    await rejectsInput(() => plan({ output: 'report.json' }), '--output', '"report.json"');
  });
  it('rejects an unknown source kind, naming it', async () => {
    await rejectsInput(() => plan({ localSource: 'foo:bar' }), '--local-source', '"foo"');
    await rejectsInput(() => plan({ partnerSource: 'partner.json' }), '--partner-source', '"partner.json"');
  });
  it('rejects a kea URL with credentials without echoing the password', async () => {
    const err = await rejectsInput(() => plan({ partnerSource: 'kea:http://admin:s3cret@127.0.0.1:8000/' }), '--partner-source', 'credentials');
    assert.ok(!err.message.includes('s3cret'), 'the password is not printed');
    await rejectsInput(() => plan({ partnerSource: 'kea:ftp://127.0.0.1/' }), '--partner-source', 'ftp:');
    await rejectsInput(() => plan({ partnerSource: 'kea:not a url' }), '--partner-source', '"not a url"');
  });
  it('rejects a bad --local-ntp and --partner-ntp, naming the value', async () => {
    await rejectsInput(() => plan({ localNtp: 'a:b:c' }), '--local-ntp', '"a:b:c"');
    await rejectsInput(() => plan({ partnerNtp: 'ntp:70000' }), '--partner-ntp', '"ntp:70000"');
    await rejectsInput(() => plan({ partnerNtp: '300.1.2.3:123' }), '--partner-ntp', '"300.1.2.3"');
  });
  it('takes --local-smb / --partner-smb as host[:port], 445 by default, and names a bad one', async () => {
    assert.deepEqual((await plan({ partnerSmb: '127.0.0.5' })).partnerSmb, { host: '127.0.0.5', port: 445 });
    assert.deepEqual((await plan({ localSmb: 'dhcp1:4445' })).localSmb, { host: 'dhcp1', port: 4445 });
    await rejectsInput(() => plan({ partnerSmb: 'smb:70000' }), '--partner-smb', '"smb:70000"');
  });
  it('rejects a partner with a space, naming it', async () => {
    await rejectsInput(() => plan({ partner: 'dhcp 2' }), '"dhcp 2"');
    await rejectsInput(() => plan({ partner: 'dhcp\\2' }), '"dhcp\\2"');
  });
  it('rejects a missing partner', async () => {
    await rejectsInput(() => buildPlan({}, env), 'partner');
  });
  it('rejects bad scopes, durations and local addresses, naming them', async () => {
    await rejectsInput(() => plan({ scopes: '10.0.0.5/24' }), '"10.0.0.5/24"');
    await rejectsInput(() => plan({ scopes: '10.0.0.0/33' }), '"10.0.0.0/33"');
    await rejectsInput(() => plan({ scopes: ' , ' }), '--scope');
    await rejectsInput(() => plan({ maxTimeSkew: '1 fortnight' }), '--max-time-skew', '"1 fortnight"');
    await rejectsInput(() => plan({ timeout: '0s' }), '--timeout', '"0s"');
    await rejectsInput(() => plan({ local: '300.1.1.1' }), '--local', '"300.1.1.1"');
    await rejectsInput(() => plan({ failoverPort: 70000 }), '--failover-port', '70000');
    await rejectsInput(() => plan({ failoverPort: 70000 }, { ...env, label: (k) => `c.yaml: ${k}` }), 'c.yaml: failoverPort', '70000');
  });
  it('rejects a kea password file without a user', async () => {
    await rejectsInput(() => plan({ kea: { passwordFile: '/nonexistent/kea-password' } }), '--kea-password-file');
  });
});

describe('parseSourceSpec / parseEndpoint', () => {
  it('parses every source kind', () => {
    assert.deepEqual(parseSourceSpec('windows-json:/srv/p.json', '--x'), { kind: 'windows-json', path: '/srv/p.json' });
    assert.deepEqual(parseSourceSpec('windows-export:p.xml', '--x'), { kind: 'windows-export', path: 'p.xml' });
    assert.deepEqual(parseSourceSpec('inventory:C:\\inv\\p.yaml', '--x'), { kind: 'inventory', path: 'C:\\inv\\p.yaml' });
    assert.deepEqual(parseSourceSpec('kea:https://127.0.0.1:8443', '--x'), { kind: 'kea', url: 'https://127.0.0.1:8443/' });
  });
  it('parses host[:port]', () => {
    assert.deepEqual(parseEndpoint('ntp1', '--x', 123), { host: 'ntp1', port: 123 });
    assert.deepEqual(parseEndpoint('127.0.0.1:1123', '--x', 123), { host: '127.0.0.1', port: 1123 });
    throwsInput(() => parseEndpoint('ntp1:0', '--x', 123), '"ntp1:0"');
    throwsInput(() => parseEndpoint('', '--x', 123), '--x');
  });
});

describe('readConfigFile', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dfc-config-'));
    mkdirSync(join(dir, 'sub'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("reads YAML and resolves relative paths against the config file's directory", async () => {
    const path = write(
      'sub/config.yaml',
      [
        'partner: 10.0.0.2',
        'localSource: inventory:inv/local.yaml',
        'partnerSource: windows-json:/abs/partner.json',
        'output: json=out/report.json',
        'maxTimeSkew: 30s',
        'only: [dns, time]',
        'kea: { user: admin, ca: certs/ca.pem }',
      ].join('\n'),
    );
    const config = await readConfigFile(path);
    assert.equal(config.localSource, `inventory:${join(dir, 'sub', 'inv', 'local.yaml')}`);
    assert.equal(config.partnerSource, 'windows-json:/abs/partner.json');
    assert.deepEqual(config.output, [`json=${join(dir, 'sub', 'out', 'report.json')}`]);
    assert.equal(config.kea?.ca, join(dir, 'sub', 'certs', 'ca.pem'));
    const p = await buildPlan(config, env);
    assert.deepEqual(p.localSource, { kind: 'inventory', path: join(dir, 'sub', 'inv', 'local.yaml') });
    assert.equal(p.maxTimeSkewSeconds, 30);
    assert.deepEqual(p.checks, ['dns', 'time']);
  });
  it('reads JSON and leaves kea URLs alone', async () => {
    const path = write('config.json', JSON.stringify({ partner: 'dhcp2', partnerSource: 'kea:http://127.0.0.1:8000/' }));
    assert.deepEqual((await readConfigFile(path)).partnerSource, 'kea:http://127.0.0.1:8000/');
  });
  it('rejects a billion-laughs document with an InputError, without expanding it', async () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
      ['g', 'h'],
      ['h', 'i'],
    ] as const) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    lines.push('partner: 10.0.0.2', 'scopes: *i');
    const path = write('laughs.yaml', lines.join('\n'));
    // The YAML reader's alias cap refuses it: 9^9 scopes are never built.
    await rejectsInput(() => readConfigFile(path), path, 'not valid JSON or YAML', 'Excessive alias count');
  });
  it('rejects an unknown key, naming it', async () => {
    await rejectsInput(() => readConfigFile(write('typo.yaml', 'partner: 10.0.0.2\npartnr: 10.0.0.3\n')), 'partnr');
    await rejectsInput(() => readConfigFile(write('typo2.yaml', 'partner: 10.0.0.2\nkea: { pasword: x }\n')), 'pasword');
  });
  it('rejects duplicate keys, broken YAML and a missing file, naming the file', async () => {
    const dup = write('dup.yaml', 'partner: a\npartner: b\n');
    await rejectsInput(() => readConfigFile(dup), dup);
    const broken = write('broken.yaml', 'partner: [unclosed\n');
    await rejectsInput(() => readConfigFile(broken), broken);
    await rejectsInput(() => readConfigFile(join(dir, 'missing.yaml')), 'missing.yaml: no such file');
  });
  it('rejects a wrongly typed value, naming the key', async () => {
    await rejectsInput(() => readConfigFile(write('port.yaml', 'partner: x\nfailoverPort: "647"\n')), 'failoverPort');
  });
});

describe('buildPlan: host syntax before any lookup', () => {
  const env = { env: {}, stdoutIsTTY: false };
  const refusal = async (input: Record<string, unknown>): Promise<string> => {
    try {
      await buildPlan(input, env);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };
  it('refuses control characters and blanks in the partner, --local and NTP/SMB endpoints', async () => {
    assert.equal(await refusal({ partner: 'dhcp2\u001b]0;x\u0007' }), '<partner>: "dhcp2\u001b]0;x\u0007" is not a host name or address');
    assert.equal(await refusal({ partner: '127.0.0.2', local: 'a b' }), '--local: "a b" is not a host name or address');
    assert.equal(await refusal({ partner: '127.0.0.2', partnerNtp: 'ntp\u0000x:123' }), '--partner-ntp: "ntp\u0000x" is not a host name or address');
    assert.equal(await refusal({ partner: '127.0.0.2', localSmb: 'smb_host..x' }), '--local-smb: "smb_host..x" is not a host name or address');
  });
  it('keeps the port hints of host:port and [v6]:port', async () => {
    assert.match(await refusal({ partner: 'dhcp2:647' }), /names a port; give the host alone \("dhcp2"\)/);
    assert.match(await refusal({ partner: '[fe80::1]:647' }), /names a port; give the host alone \("fe80::1"\)/);
  });
  it('takes names, IPv4 and IPv6 addresses', async () => {
    for (const partner of ['dhcp2', 'dhcp2.corp.example.', '_srv-x.example', '10.0.0.2', 'fe80::1'])
      assert.equal(await refusal({ partner }), 'accepted', partner);
  });
});
