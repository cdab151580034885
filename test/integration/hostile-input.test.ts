import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';

// Issue 23's *Why*, one test per class, tried again through the built CLI as an attacker would:
// each ends in exit 2 (or the verdict it deserves) with the documented words naming the input,
// never exit 4, never a raw control character or a secret in any output. Assertions are on the
// error and the verdict, never on elapsed time (the runs are bounded by runCli's own kill timer).

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function assertClean(run: CliRun, ...secrets: string[]): void {
  for (const [name, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    assert.doesNotMatch(text, CONTROL, `${name} holds a raw control character`);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${name} shows a secret: ${text.slice(0, 300)}`);
  }
}

function assertRefused(run: CliRun, ...needles: string[]): void {
  assert.equal(run.code, 2, `exit ${run.code}: ${run.stderr}`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  for (const needle of needles) assert.ok(lines[0]!.includes(needle), `"${lines[0]}" should name ${needle}`);
  assert.doesNotMatch(run.stderr, /internal error|call stack/i);
  assertClean(run);
}

describe('hostile input holds (issue 23)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-hostile-input-'));
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const net = ['127.0.0.2', '--timeout', '2s'];
  const base = [...net, '--skip', 'time'];
  const windows = (local: string) => [...base, '--local-source', `windows-json:${local}`, '--partner-source', 'windows-json:examples/partner.json'];
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('crashes: 5,000 nested arrays, 5 million semicolons and a million attributes end in exit 2 or a verdict, never exit 4', async () => {
    const deep = file('deep.json', `{"Scopes":\n${'['.repeat(5000)}${']'.repeat(5000)}}`);
    assertRefused(await runCli(windows(deep)), deep, 'nested deeper than 256 levels at line 2');
    const semis = file('semis.conf', ';'.repeat(5_000_000));
    assertRefused(
      await runCli([...base, '--local-source', `dhcpd:${semis}`, '--partner-source', 'dhcpd:examples/dhcpd/dhcp2-dhcpd.conf']),
      semis,
      'more than 4000000 tokens',
    );
    const attrs = file('attrs.xml', `<DHCPServer ${Array.from({ length: 1_000_000 }, (_, i) => `a${i}="1"`).join(' ')}></DHCPServer>`);
    const run = await runCli([
      ...base,
      '--local-source',
      `windows-export:${attrs}`,
      '--partner-source',
      'windows-json:examples/partner.json',
      '--format',
      'json',
    ]);
    assert.notEqual(run.code, 4, run.stderr);
    assertClean(run);
  });

  test('hangs: 160,000 unclosed brackets, a 100 × 100 × 100 include fan-out and a FIFO nobody reads end in exit 2 naming them', async () => {
    const unclosed = file('unclosed.json', '['.repeat(160_000));
    assertRefused(await runCli(windows(unclosed)), unclosed, 'nested deeper than 256 levels at line 1');
    const c = file('kc.conf', Array.from({ length: 100 }, () => '[1,2,3,4,5,6,7,8,9,10]').join(','));
    const b = file('kb.conf', Array.from({ length: 100 }, () => `<?include "${c}"?>`).join(','));
    const a = file('ka.conf', `{"Dhcp4": {"x": [${Array.from({ length: 100 }, () => `<?include "${b}"?>`).join(',')}]}}`);
    assertRefused(
      await runCli([...base, '--local-source', `kea-config:${a}`, '--partner-source', 'kea-config:examples/kea/dhcp2-kea-dhcp4.conf']),
      `more than 1000 files included (include chain: ${a} -> ${b} -> ${c})`,
    );
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli([
      '127.0.0.2',
      '--timeout',
      '1s',
      '--local-source',
      'inventory:examples/inventory/hub.yaml',
      '--partner-source',
      'inventory:examples/inventory/branch1.yaml',
      '--only',
      'scopes',
      '--scope',
      '10.1.10.0/24',
      '--output',
      `json=${fifo}`,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--output json=\S*out\.fifo: \S*out\.fifo is a FIFO nobody reads/);
  });

  test('memory: an export of nested elements is "not readable" (exit 2), not a failed check', async () => {
    const nested = file('nested.xml', `<DHCPServer>\n<IPv4><Scopes>${'<Scope>'.repeat(10_000)}${'</Scope>'.repeat(10_000)}</Scopes></IPv4></DHCPServer>`);
    assertRefused(
      await runCli([...base, '--local-source', 'inventory:examples/inventory/hub.yaml', '--partner-source', `windows-export:${nested}`]),
      nested,
      'nested deeper than 256 levels at line 2',
    );
  });

  test('no partial --output file: the report appears whole, and nothing is left beside it', async () => {
    const out = join(dir, 'outputs');
    execFileSync('mkdir', ['-p', out]);
    const target = join(out, 'report.json');
    writeFileSync(target, 'old');
    const run = await runCli([
      ...net,
      '--local-source',
      'inventory:examples/inventory/hub.yaml',
      '--partner-source',
      'inventory:examples/inventory/branch1.yaml',
      '--only',
      'scopes',
      '--scope',
      '10.1.10.0/24',
      '--output',
      `json=${target}`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(readFileSync(target, 'utf8')).exitCode, 0);
    assert.deepEqual(readdirSync(out), ['report.json']);
  });

  test('escapes: a partner, an endpoint or a value with ESC ] 0 ; … BEL is refused without echoing it raw', async () => {
    const title = '\u001b]0;owned\u0007\u001b[2J';
    assertRefused(await runCli([`dhcp2${title}`, '--skip', 'time']), 'is not a host name or address', '\\x1b');
    assertRefused(await runCli(['127.0.0.2', '--partner-ntp', `ntp${title}:123`]), '--partner-ntp', 'is not a host name or address');
    assertRefused(await runCli(['127.0.0.2', '--scope', `10.0.0.0/24${title}`]), '--scope');
    const config = file('title.yaml', `partner: 127.0.0.2\ntimeout: "5s\\e]0;owned\\a"\n`);
    assertRefused(await runCli(['--config', config]), config);
  });

  describe('secrets: a Kea agent echoing the Authorization header', () => {
    const password = 'Sekr1t-Hostile-7743';
    const filePassword = 'From-The-File-5521';
    let agent: Server;
    let url = '';
    const seen: string[] = [];
    before(async () => {
      agent = createServer((req, res) => {
        const header = req.headers.authorization ?? '';
        seen.push(header);
        req.resume();
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify([
              { result: 1, text: `refused; you sent Authorization: ${header} (${Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()})` },
            ]),
          );
        });
      });
      await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/`;
    });
    after(() => new Promise<void>((resolve) => agent.close(() => resolve())));

    test('no format and no stderr line shows the password or its base64 form', async () => {
      const basic = Buffer.from(`kea:${password}`).toString('base64');
      for (const format of ['human', 'json', 'junit', 'tap', 'markdown', 'nagios', 'github']) {
        const run = await runCli([...net, '--only', 'version,service', '--partner-source', `kea:${url}`, '--kea-user', 'kea', '--format', format], {
          env: { KEA_PASSWORD: password },
        });
        assert.notEqual(run.code, 4, run.stderr);
        assertClean(run, password, basic);
      }
      assert.ok(
        seen.some((h) => h === `Basic ${basic}`),
        'the agent was asked with the password',
      );
    });

    test('a URL with credentials that does not parse never shows its password', async () => {
      const run = await runCli(['127.0.0.2', '--partner-source', 'kea:http://user:pa/ss@host:8000/']);
      assert.equal(run.code, 2, run.stderr);
      assertClean(run, 'pa/ss');
    });

    test('a password file outranks KEA_PASSWORD, an empty KEA_PASSWORD is no password, and a note says which was used', async () => {
      const pwFile = file('kea.pw', `${filePassword}\n`);
      seen.length = 0;
      const both = await runCli([...net, '--only', 'version', '--partner-source', `kea:${url}`, '--kea-user', 'kea', '--kea-password-file', pwFile], {
        env: { KEA_PASSWORD: password },
      });
      assert.match(both.stderr, /note: both --kea-password-file and KEA_PASSWORD are set: --kea-password-file is used/);
      assert.ok(seen.includes(`Basic ${Buffer.from(`kea:${filePassword}`).toString('base64')}`), seen.join(', '));
      assertClean(both, password, filePassword);
      seen.length = 0;
      const empty = await runCli([...net, '--only', 'version', '--partner-source', `kea:${url}`, '--kea-user', 'kea', '--kea-password-file', pwFile], {
        env: { KEA_PASSWORD: '' },
      });
      assert.doesNotMatch(empty.stderr, /note:/);
      assert.ok(seen.includes(`Basic ${Buffer.from(`kea:${filePassword}`).toString('base64')}`), seen.join(', '));
    });
  });

  test('misleading words: 1e400, .inf and deep YAML say what happened', async () => {
    assertRefused(
      await runCli(['--config', file('inf.yaml', 'partner: 127.0.0.2\ntimeout: 1e400\n')]),
      'timeout: must be a finite number of seconds (got 1e400)',
    );
    assertRefused(
      await runCli(['--config', file('dotinf.yaml', 'partner: 127.0.0.2\nmaxTimeSkew: .inf\n')]),
      'maxTimeSkew: must be a finite number of seconds (got .inf)',
    );
    const deep = file('deep.yaml', `partner: 127.0.0.2\nscopes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    assertRefused(await runCli(['--config', deep]), deep, 'nested deeper than 256 levels at line 2');
    assert.ok(!existsSync(join(dir, 'never')));
  });
});
