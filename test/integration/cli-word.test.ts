import { after, describe, test } from 'node:test';
import { windowsInventory } from '../helpers/inventory.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, runCli, type CliRun } from '../helpers/cli.js';

// The CLI keeps its word in ordinary shell use: pipes closed early, full disks, empty values,
// files saved by Windows, mistakes in a config file, help. Every run is the built CLI as a process.

const EXAMPLES = join(dirname(BIN), '..', 'examples');
const CONFIG = join(EXAMPLES, 'config.json');
const dir = mkdtempSync(join(tmpdir(), 'dfc-cli-word-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { ...process.env, NO_COLOR: '1', CI: 'true' };

/** The CLI with its stdout on `fd` (e.g. /dev/full), stderr collected. */
function runWithStdout(args: string[], fd: number | 'closed-pipe', timeoutMs = 30_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['ignore', fd === 'closed-pipe' ? 'pipe' : fd, 'pipe'] });
    // The reader goes away before the CLI writes a byte: every write is EPIPE.
    if (fd === 'closed-pipe') child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}

function oneLine(r: { stderr: string }, ...parts: (string | RegExp)[]): void {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `exactly one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^dhcp-failover-check: /);
  for (const p of parts) assert.ok(typeof p === 'string' ? lines[0]!.includes(p) : p.test(lines[0]!), `"${lines[0]}" should name ${String(p)}`);
  assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+|DEP0\d+|DeprecationWarning|internal error/);
}

function json(r: CliRun): { exitCode: number; partner: { input: string }; checks: { id: string; status: string }[] } {
  return JSON.parse(r.stdout) as ReturnType<typeof json>;
}

describe('a closed pipe ends quietly with the exit code the run would have had', () => {
  for (const [args, code] of [
    [['--help'], 0],
    [['--version'], 0],
    [['schema', 'config'], 0],
    [['help'], 0],
    [['--config', CONFIG], 1],
    [['--config', CONFIG, '--format', 'json'], 1],
  ] as [string[], number][]) {
    test(`${args.join(' ')} | (closed)`, async () => {
      const r = await runWithStdout(args, 'closed-pipe');
      assert.equal(r.stderr, '', 'nothing on stderr, no EPIPE stack');
      assert.equal(r.code, code);
    });
  }
});

describe('stdout that cannot be written is one line naming it and the cause, exit 2', () => {
  for (const args of [['--version'], ['--help'], ['schema', 'report'], ['--config', CONFIG]]) {
    test(`${args.join(' ')} > /dev/full`, async () => {
      const fd = openSync('/dev/full', 'w');
      try {
        const r = await runWithStdout(args, fd);
        assert.equal(r.code, 2);
        oneLine(r, 'stdout', 'ENOSPC');
      } finally {
        closeSync(fd);
      }
    });
  }
  test('--output to a full disk: the report on stdout whole, one line naming the file, exit 2', async () => {
    const r = await runCli(['--config', CONFIG, '--output', 'json=/dev/full']);
    assert.equal(r.code, 2);
    oneLine(r, '/dev/full', 'ENOSPC');
    assert.match(r.stdout, /^dhcp-failover-check /);
    assert.match(r.stdout, /\d+ checks: .* exit code 1\n$/, 'the whole human report, ending with its summary');
  });
  test('--output that cannot be written is refused before the run', async () => {
    const missing = join(dir, 'no-such-dir', 'r.json');
    const r = await runCli(['--config', CONFIG, '--output', `json=${missing}`]);
    assert.equal(r.code, 2);
    oneLine(r, missing, 'ENOENT');
    assert.equal(r.stdout, '', 'nothing was checked');
  });
});

describe('empty values are refused with one line, exit 2', () => {
  const emptyKey = join(dir, 'empty-local.yaml');
  writeFileSync(emptyKey, 'partner: 127.0.0.2\npartnerNtp: ""\n');
  for (const [args, name] of [
    [['127.0.0.2', '--local', ''], '--local'],
    [[''], '<partner>'],
    [['127.0.0.2', '--partner-ntp', ''], '--partner-ntp'],
    [['127.0.0.2', '--timeout', ''], '--timeout'],
    [['127.0.0.2', '--config', ''], '--config'],
    [['127.0.0.2', '--partner-source', ''], '--partner-source'],
    [['--config', emptyKey], `${emptyKey}: partnerNtp`],
  ] as [string[], string][]) {
    test(`${JSON.stringify(args)}`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      oneLine(r, name, 'empty');
      assert.equal(r.stdout, '');
    });
  }
});

describe('config files', () => {
  const base = { partner: '127.0.0.2', only: 'ip,dns', format: 'json' };
  const encodings: [string, Buffer][] = [
    ['UTF-8', Buffer.from(JSON.stringify(base))],
    ['UTF-8 with BOM', Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(JSON.stringify(base))])],
    // What Windows PowerShell 5.1's Out-File / Set-Content -Encoding Unicode writes.
    ['UTF-16LE with BOM', Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(JSON.stringify(base), 'utf16le')])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.of(0xfe, 0xff), Buffer.from(JSON.stringify(base), 'utf16le').swap16()])],
    ['UTF-16LE YAML with CRLF', Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('partner: 127.0.0.2\r\nonly: [ip, dns]\r\nformat: json\r\n', 'utf16le')])],
  ];
  for (const [name, bytes] of encodings) {
    test(`read in ${name}`, async () => {
      const file = join(dir, `config-${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, bytes);
      const r = await runCli(['--config', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(json(r).partner.input, '127.0.0.2');
      assert.equal(json(r).checks.find((c) => c.id === 'ip')?.status, 'warn', 'loopback warns: the run really happened');
    });
  }
  test("flags override the file key by key: --skip on the command line replaces the file's only (one selection)", async () => {
    const file = join(dir, 'only.yaml');
    writeFileSync(file, 'partner: 127.0.0.2\nonly: dns\nformat: json\n');
    const r = await runCli(['--config', file, '--skip', 'time,reachability,static-address', '--timeout', '1s']);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 3, r.stderr);
    const statuses = Object.fromEntries(json(r).checks.map((c) => [c.id, c.status]));
    assert.equal(statuses.time, 'skip');
    assert.notEqual(statuses.ip, 'skip', "the file's only: dns no longer applies");
  });
  test('a flag and a nested file key: an error names the flag that gave the value', async () => {
    const file = join(dir, 'kea.yaml');
    writeFileSync(file, 'partner: 127.0.0.2\nkea:\n  user: kea\n  passwordFile: secret.txt\n');
    const r = await runCli(['--config', file, '--kea-password-file', join(dir, 'nonexistent-password')]);
    assert.equal(r.code, 2);
    oneLine(r, '--kea-password-file: ', 'nonexistent-password');
    assert.doesNotMatch(r.stderr, /kea\.passwordFile/);
  });
  test('-c given twice is refused, naming both', async () => {
    const r = await runCli(['-c', 'a.yaml', '--config', 'b.yaml']);
    assert.equal(r.code, 2);
    oneLine(r, '--config: given twice ("a.yaml" and "b.yaml")');
  });
  test('UTF-16 without a whole last character is named, exit 2', async () => {
    const file = join(dir, 'odd.json');
    writeFileSync(file, Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('{"partner":"127.0.0.2"}', 'utf16le').subarray(0, 45)]));
    const r = await runCli(['--config', file]);
    assert.equal(r.code, 2);
    oneLine(r, file, 'UTF-16');
  });

  const cases: [string, string, string[], string][] = [
    ['an unknown key gets a did-you-mean', 'partner: 127.0.0.2\nmaxTimeSkw: 60s\n', [], 'maxTimeSkw: unknown key (did you mean maxTimeSkew?)'],
    ['a kebab-case key gets the camelCase one', 'partner: 127.0.0.2\nmax-time-skew: 60s\n', [], 'max-time-skew: unknown key (did you mean maxTimeSkew?)'],
    ['a nested unknown key', 'partner: 127.0.0.2\nkea:\n  usr: kea\n', [], 'kea.usr: unknown key (did you mean user?)'],
    ['a bad duration names the key, not a flag', 'partner: 127.0.0.2\ntimeout: 5 fortnights\n', [], 'timeout: invalid duration "5 fortnights"'],
    ['a bad check id', 'partner: 127.0.0.2\nskip: [tme]\n', [], 'skip: unknown check id "tme"'],
    ['a bad scope', 'partner: 127.0.0.2\nscopes: [10.0.0.5/24]\n', [], 'scopes: "10.0.0.5/24" has host bits set'],
    ['a bad NTP endpoint', 'partner: 127.0.0.2\npartnerNtp: "ntp:0"\n', [], 'partnerNtp: "ntp:0" is not host[:port]'],
    ['a bad source', 'partner: 127.0.0.2\npartnerSource: partner.json\n', [], 'partnerSource: "partner.json" is not a source'],
  ];
  for (const [title, text, extra, expected] of cases) {
    test(`${title}: "<file>: ${expected}"`, async () => {
      const file = join(dir, `${title.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, text);
      const r = await runCli(['--config', file, ...extra]);
      assert.equal(r.code, 2, r.stderr);
      oneLine(r, `${file}: ${expected}`);
    });
  }
  test('the same value from a flag is blamed on the flag', async () => {
    const r = await runCli(['127.0.0.2', '--timeout', '5 fortnights']);
    assert.equal(r.code, 2);
    oneLine(r, '--timeout: invalid duration "5 fortnights"');
  });
});

describe('arguments', () => {
  test('--scope takes one value: the partner after it stays the partner', async () => {
    const r = await runCli(['--scope', '10.0.10.0', '127.0.0.2', '--only', 'ip', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(json(r).partner.input, '127.0.0.2');
  });
  test('--scope is repeatable and comma-separated; each value is still validated', async () => {
    const good = await runCli(['-s', '10.0.10.0', '--scope', '10.0.20.0/24,10.0.30.0/24', '127.0.0.2', '--only', 'ip']);
    assert.equal(good.code, 0, good.stderr);
    const bad = await runCli(['-s', '10.0.10.0', '--scope', '10.0.20.0/24,10.0.30.5/24', '127.0.0.2']);
    assert.equal(bad.code, 2);
    oneLine(bad, '--scope', '10.0.30.5/24');
  });
  for (const partner of ['dhcp2.lab.test:647', '127.0.0.2:647']) {
    test(`a host:port partner (${partner}) gets the --failover-port hint and no lookup`, async () => {
      const r = await runCli([partner]);
      assert.equal(r.code, 2);
      oneLine(r, `"${partner}"`, '--failover-port 647');
      assert.equal(r.stdout, '');
    });
  }
  test('`help` and `help schema` are help, not a partner named help', async () => {
    const help = await runCli(['help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: dhcp-failover-check /);
    assert.doesNotMatch(help.stdout, /partner: help/);
    const schema = await runCli(['help', 'schema']);
    assert.equal(schema.code, 0, schema.stderr);
    assert.match(schema.stdout, /^Usage: dhcp-failover-check schema/);
  });
  test('NO_COLOR turns colour off only when it is not empty (no-color.org)', async () => {
    const ansi = /\x1b\[/;
    const empty = await runCli(['127.0.0.2', '--only', 'ip'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    assert.match(empty.stdout, ansi, 'NO_COLOR= (empty) keeps colour');
    const set = await runCli(['127.0.0.2', '--only', 'ip'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    assert.doesNotMatch(set.stdout, ansi);
    assert.equal(set.code, 0);
  });
});

describe('--format markdown and --format nagios through the CLI', () => {
  test("markdown: the table and the failures' details; --output markdown=<file> the same document", async () => {
    const file = join(dir, 'report.md');
    const r = await runCli(['--config', CONFIG, '--format', 'markdown', '--output', `markdown=${file}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^## DHCP failover preflight: 127\.0\.0\.2\n/);
    assert.match(r.stdout, /\n\| \| check \| title \| verdict \| message \|\n\|---\|---\|---\|---\|---\|\n/);
    assert.match(r.stdout, /\n\| ❌ \| `scopes` \| .* \| fail \| /);
    assert.match(r.stdout, /\n#### ❌ `permissions` — fail \(`permissions\.denied`\)\n/);
    const written = readFileSync(file, 'utf8');
    assert.equal(written.replace(/, \d+ ms<\/sub>/, ''), r.stdout.replace(/, \d+ ms<\/sub>/, ''));
  });
  test('nagios: CRITICAL naming the failed checks, perfdata, exit 2', async () => {
    const r = await runCli(['--config', CONFIG, '--format', 'nagios']);
    assert.equal(r.code, 2, r.stderr);
    const [status, ...long] = r.stdout.trimEnd().split('\n');
    assert.match(status!, /^DHCP FAILOVER CRITICAL - 127\.0\.0\.2: failed: permissions, scopes; undetermined: time, identity \| /);
    assert.match(status!, /'relationships_local'=1;;31;0;31 'relationships_partner'=0;;31;0;31 'checks_failed'=2;;1;0;\d+ 'duration'=[\d.]+s;;;0;$/);
    assert.match(long[0]!, /^\[CRITICAL\] permissions: /);
    assert.ok(
      long.every((l) => !l.includes('|')),
      'no | in the long text',
    );
  });
  test('nagios: OK is exit 0, WARNING 1, and a bad invocation UNKNOWN 3', async () => {
    const ok = await runCli(['127.0.0.2', '--only', 'dns', '--format', 'nagios']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^DHCP FAILOVER OK - 127\.0\.0\.2: 1 checks passed \| /);
    const warn = await runCli(['127.0.0.2', '--only', 'ip', '--format=nagios']);
    assert.equal(warn.code, 1, warn.stderr);
    assert.match(warn.stdout, /^DHCP FAILOVER WARNING - 127\.0\.0\.2: warnings: ip \| /);
    const bad = await runCli(['127.0.0.2', '--timeout', 'soon', '--format', 'nagios']);
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /^DHCP FAILOVER UNKNOWN - --timeout: invalid duration "soon"/);
    oneLine(bad, '--timeout');
  });
  test('nagios set only in the config file: a bad invocation is still UNKNOWN 3; --format json on the command line wins', async () => {
    const file = join(dir, 'nagios.yaml');
    writeFileSync(file, 'partner: 127.0.0.2\nformat: nagios\ntimeout: soon\n');
    const bad = await runCli(['--config', file]);
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stdout, /^DHCP FAILOVER UNKNOWN - .*timeout.*soon/);
    const asJson = await runCli(['--config', file, '--format', 'json']);
    assert.equal(asJson.code, 2, 'not a plugin run: the usual usage error');
    assert.equal(asJson.stdout, '');
  });
});

describe('plan files speak markdown and nagios too', () => {
  const planFile = join(dir, 'plan.yaml');
  writeFileSync(join(dir, 'hub.json'), JSON.stringify(windowsInventory('hub', '127.0.0.1', ['10.1.10.0/24', '10.2.10.0/24'], 30)));
  writeFileSync(join(dir, 'b1.json'), JSON.stringify(windowsInventory('b1', '127.0.0.2', ['192.168.1.0/24'], 0)));
  writeFileSync(join(dir, 'b2.json'), JSON.stringify(windowsInventory('b2', '127.0.0.3', ['192.168.2.0/24'], 0)));
  writeFileSync(
    planFile,
    [
      'servers:',
      '  hub: { address: 127.0.0.1, source: "inventory:hub.json" }',
      '  b1:  { address: 127.0.0.2, source: "inventory:b1.json" }',
      '  b2:  { address: 127.0.0.3, source: "inventory:b2.json" }',
      'pairings:',
      '  - { local: hub, partner: b1, scopes: [10.1.10.0/24] }',
      '  - { local: hub, partner: b2, scopes: [10.2.10.0/24] }',
      'options: { timeout: 2s, only: [relationships, scopes, version, service] }',
      '',
    ].join('\n'),
  );
  test('nagios: the worst pairing decides (the second pairing fills the hub: CRITICAL, exit 2)', async () => {
    const r = await runCli(['plan', planFile, '--format', 'nagios']);
    assert.equal(r.code, 2, r.stderr);
    const [status, ...long] = r.stdout.trimEnd().split('\n');
    assert.match(status!, /^DHCP FAILOVER CRITICAL - plan .*plan\.yaml: failed: hub -> b2 \| 'pairings_failed'=1;;1;0;2 /);
    assert.deepEqual(long, ['[OK] hub -> b1', '[CRITICAL] hub -> b2: relationships']);
  });
  test("a plan's --output to a full disk: the plan report on stdout whole, one line, exit 2", async () => {
    const r = await runCli(['plan', planFile, '--output', 'markdown=/dev/full']);
    assert.equal(r.code, 2);
    oneLine(r, '/dev/full', 'ENOSPC');
    assert.match(r.stdout, /\nplan: 2 pairings: .* exit code 1\n$/);
  });
  test("markdown: the plan line, then each pairing's own table", async () => {
    const r = await runCli(['plan', planFile, '--format', 'markdown']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^# DHCP failover preflight plan: /);
    assert.match(r.stdout, /\n## 1\. hub → b1 \(127\.0\.0\.2\)\n/);
    assert.match(r.stdout, /\n## 2\. hub → b2 \(127\.0\.0\.3\)\n/);
    assert.equal(r.stdout.match(/\n\| \| check \| title \| verdict \| message \|\n/g)?.length, 2);
    assert.match(r.stdout, /\| ❌ \| `relationships` \|/);
  });
});

describe('the command line as a new user types it', () => {
  const bundles = ['--local-source', `windows-json:${join(EXAMPLES, 'local.json')}`, '--partner-source', `windows-json:${join(EXAMPLES, 'partner.json')}`];

  test('help <unknown> names it and exits 2; plan --help says which options apply', async () => {
    const r = await runCli(['help', 'pla']);
    assert.equal(r.code, 2);
    oneLine(r, 'help: unknown command "pla" (did you mean plan?');
    const h = await runCli(['plan', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Every pairing takes these options.*\n.*--timeout/);
    assert.match(h.stdout, /--local-source .* are refused with a plan/);
  });

  test('an empty list element is refused; a repeated --scope is one scope', async () => {
    const empty = await runCli(['127.0.0.2', '-s', '10.0.20.0,,10.0.30.0']);
    assert.equal(empty.code, 2);
    oneLine(empty, '--scope: empty element in "10.0.20.0,,10.0.30.0"');
    const twice = await runCli(['127.0.0.2', '-s', '10.0.20.0', '-s', '10.0.20.0/24', '--only', 'scopes', '--format', 'json', ...bundles]);
    const scopes = json(twice).checks.find((c) => c.id === 'scopes') as unknown as { message: string; details: Record<string, unknown> };
    assert.match(scopes.message, /^Following scopes already exist/);
    assert.equal(scopes.message.match(/10\.0\.20\.0 mask/g)?.length, 1, scopes.message);
  });

  test('--scope with a host address inside a local scope gets the same did-you-mean as with a prefix', async () => {
    const r = await runCli(['127.0.0.2', '-s', '10.0.20.7', '--only', 'scopes', '--format', 'json', ...bundles]);
    const scopes = json(r).checks.find((c) => c.id === 'scopes') as unknown as { message: string };
    assert.match(
      scopes.message,
      /Scope 10\.0\.20\.7 does not exist on the local server\. \(did you mean 10\.0\.20\.0, the scope 10\.0\.20\.0\/24 holding that address\?\)/,
    );
  });

  test('a long value is cut in its middle and the reason after it kept; control characters are escaped', async () => {
    const r = await runCli(['127.0.0.2', '--timeout', `${'9'.repeat(900)}s`]);
    assert.equal(r.code, 2);
    oneLine(r, /…\(\d+ characters cut\)…9+s" must be a finite number of seconds/);
    const e = await runCli(['127.0.0.2', '--timeout', '1\x1b]0;pwned\x07s']);
    assert.equal(e.code, 2);
    oneLine(e, '"1\\x1b]0;pwned\\x07s"');
    assert.doesNotMatch(e.stderr, /\x1b|\x07/);
  });
});

describe('--user without a directory is judged against the partner bundle’s LocalGroups', () => {
  const collector = join(dirname(BIN), '..', 'test', 'fixtures', 'windows', 'collector');
  const args = (user: string) => [
    '127.0.0.2',
    '--local-source',
    `windows-json:${join(collector, 'dhcp1.json')}`,
    '--partner-source',
    `windows-json:${join(collector, 'dhcp2.json')}`,
    '--only',
    'permissions',
    '--user',
    user,
    '--format',
    'json',
  ];
  const permissions = (r: CliRun) => json(r).checks.find((c) => c.id === 'permissions') as unknown as { status: string; code: string };

  test('a direct member passes; a user the groups do not list is undetermined while a nested group is unresolved', async () => {
    const member = permissions(await runCli(args('CORP\\bob')));
    assert.deepEqual([member.status, member.code], ['pass', 'permissions.group-member']);
    const other = permissions(await runCli(args('LAB\\nobody')));
    assert.equal(other.code, 'permissions.group-membership-not-known');
  });

  test('every other directory flag still needs --ldap', async () => {
    const r = await runCli(['127.0.0.2', '--ldap-ca', 'ca.pem', '--user', 'x']);
    assert.equal(r.code, 2);
    oneLine(r, '--ldap-ca needs --ldap <url>');
  });
});
