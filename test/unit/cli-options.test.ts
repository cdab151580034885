import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CLI_OPTIONS, SUBCOMMANDS, plainArgs } from '../../src/cli-options.js';
import { addPlanCommand } from '../../src/plan-file/subcommand.js';
import { program, readWithCommander } from '../../src/cli-program.js';

// plainArgs() reads the plain command lines without loading commander; wherever it answers, its
// answer must be commander's, or the fast path would change what a command line means.

async function commanderRun(argv: string[]) {
  const reading = await readWithCommander(argv);
  assert.ok('run' in reading, `commander read ${JSON.stringify(argv)} as ${JSON.stringify(reading)}`);
  return reading.run;
}

const PLAIN: string[][] = [
  [],
  ['dhcp2.example.com'],
  [
    '127.0.0.2',
    '--local-source',
    'windows-json:local.json',
    '--partner-source',
    'windows-json:partner.json',
    '--timeout',
    '2s',
    '--skip',
    'time',
    '--format',
    'json',
  ],
  ['--config', 'examples/config.json'],
  ['-c', 'x.yaml', '--format=nagios', '-q', 'dhcp2'],
  ['dhcp2', '-s', '10.0.10.0', '--scope', '10.0.20.0/24,10.0.30.0', '--only', 'dns', '--only', 'ip,time'],
  ['--no-color', '-v', '--ldap', 'ldaps://dc1', '--ldap-insecure', '--user', 'alice', '10.0.0.2'],
  ['--output', 'junit=r.xml', '--output=markdown=r.md', 'dhcp2', '--timeout=', '--timeout', '9s'],
];

describe('plainArgs', () => {
  it('reads every option by its long flag and its short one, as commander does', async () => {
    for (const option of CLI_OPTIONS) {
      const [long] = option.flags.match(/--[\w-]+/) ?? [];
      const short = /^-(\w), /.exec(option.flags)?.[1];
      assert.ok(long, option.flags);
      const value = option.flags.includes('<') ? [option.choices?.[0] ?? 'x'] : [];
      for (const flag of short ? [long, `-${short}`] : [long]) {
        const argv = ['dhcp2', flag, ...value];
        const plain = plainArgs(argv);
        assert.ok(plain, `${flag} read`);
        assert.deepEqual(plain, await commanderRun(argv), flag);
      }
    }
  });

  it('reads the plain command lines, exactly as commander does', async () => {
    for (const argv of PLAIN) {
      const plain = plainArgs(argv);
      assert.ok(plain, `plainArgs leaves ${JSON.stringify(argv)} to commander`);
      assert.deepEqual(plain, await commanderRun(argv), JSON.stringify(argv));
    }
  });

  it('leaves help, --version, subcommands, mistakes and unusual forms to commander', () => {
    for (const argv of [
      ['--help'],
      ['-h'],
      ['help'],
      ['--version'],
      ['schema', 'report'],
      ['plan', 'p.yaml'],
      ['dhcp2', 'schema'],
      ['dhcp1', 'dhcp2'],
      ['--bogus'],
      ['--timeout'],
      ['--timeout', '-5s'],
      ['--format', 'yaml'],
      ['--quiet=yes'],
      ['-qv'],
      ['-s10.0.0.0'],
      ['--', 'dhcp2'],
      ['-'],
      ['--color'],
    ]) {
      assert.equal(plainArgs(argv), undefined, JSON.stringify(argv));
    }
  });

  it('agrees with commander on every command line it answers (generated)', async () => {
    const flags = CLI_OPTIONS.flatMap((o) => o.flags.split(', ').map((f) => f.replace(/ <.*$/, '')));
    const values = ['2s', '', 'json', 'nagios', 'bogus', '10.0.0.0', 'a=b', 'dns,ip', '-x', '--skip', 'schema', 'plan', 'help', 'x y', 'é'];
    const token = fc.oneof(
      fc.constantFrom(...flags),
      fc.tuple(fc.constantFrom(...flags.filter((f) => f.startsWith('--'))), fc.constantFrom(...values)).map(([f, v]) => `${f}=${v}`),
      fc.constantFrom(...values),
      fc.constantFrom('dhcp2', '127.0.0.2', '--help', '-h', '--version', '--', '-', '-qv', '--unknown'),
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), async (argv) => {
        const plain = plainArgs(argv);
        if (!plain) return;
        answered++;
        assert.deepEqual(plain, await commanderRun(argv));
      }),
      { numRuns: 600 },
    );
    assert.ok(answered > 50, `plainArgs answered only ${answered} of 600 generated command lines`);
  });

  it('leaves every subcommand commander knows to commander (SUBCOMMANDS names them all)', () => {
    const cmd = program();
    addPlanCommand(cmd, () => undefined);
    for (const name of [...cmd.commands.map((c) => c.name()), 'help']) {
      assert.ok((SUBCOMMANDS as readonly string[]).includes(name), `${name} is in SUBCOMMANDS`);
      assert.equal(plainArgs([name]), undefined, name);
    }
  });

  it('derives commander program from the same table: every option, with its description', () => {
    const options = program().options.filter((o) => o.long !== '--version'); // commander's own
    assert.deepEqual(
      options.map((o) => [o.flags, o.description]),
      CLI_OPTIONS.map((o) => [o.flags, o.description]),
    );
  });
});
