import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haConfigFindings } from '../../src/platforms/kea/ha-rules.js';
import { readKeaConfigFile } from '../../src/sources/kea/config-file.js';
import { readHaRelationships } from '../../src/sources/kea/ha-config.js';
import { CASES, HEALTHY, VERSIONS, type HaCase, type Ports, type Version } from '../helpers/kea-ha-cases.js';
import { DaemonError, startDaemon, waitReady } from '../helpers/daemon.js';
import { freePort } from '../helpers/kea.js';

// Each HA rule row is written into a real kea-dhcp4 configuration and the real kea-dhcp4 is
// started on it (`-t` does not run the HA hook's load(), so it cannot judge HA): Kea must refuse
// it with exactly the words our rules give first, and accept the healthy ones. Kea 2.2 on this
// machine always; Kea 2.6 and 3.0 from their chroots when those are built. The same targets
// cross-check what our file reader accepts against `kea-dhcp4 -t`.

const HOOKS = '/usr/lib/x86_64-linux-gnu/kea/hooks';
const CACHE = '/var/cache/dhcp-failover-check';
const EXIT_WITHIN_MS = 15_000;
const MAX_OUTPUT = 1024 * 1024;
const REFUSAL = /HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: (.*)/;

interface Target {
  label: string;
  version: Version;
  /** Chroot root; absent: this machine. */
  root?: string;
}

const targets: Target[] = [{ label: '2.2 (host)', version: VERSIONS['2.2']! }];
for (const [label, dir] of [
  ['2.6', 'kea-2.6'],
  ['3.0', 'kea-3.0'],
] as const) {
  if (existsSync(join(CACHE, dir, '.complete'))) targets.push({ label: `${label} (chroot)`, version: VERSIONS[label]!, root: join(CACHE, dir) });
}

/** A private folder Kea can see: under the chroot's /tmp for a chroot target. */
function workDir(t: Target): { outer: string; inner: string } {
  const base = t.root ? join(t.root, 'tmp') : tmpdir();
  const outer = mkdtempSync(join(base, 'kea-verdict-'));
  return { outer, inner: t.root ? `/tmp/${basename(outer)}` : outer };
}

function dhcp4Config(t: Target, inner: string, ha: unknown[]): unknown {
  // 2.6.3 and 3.0 allow unix sockets only under /run/kea and leases only under /var/lib/kea.
  const socket = t.root ? `/run/kea/${basename(inner)}.sock` : `${inner}/kea4.sock`;
  return {
    Dhcp4: {
      'interfaces-config': { interfaces: [] },
      'control-socket': { 'socket-type': 'unix', 'socket-name': socket },
      'lease-database': t.root ? { type: 'memfile', persist: false } : { type: 'memfile', persist: true, name: `${inner}/leases4.csv`, 'lfc-interval': 0 },
      'hooks-libraries': [{ library: `${HOOKS}/libdhcp_lease_cmds.so` }, { library: `${HOOKS}/libdhcp_ha.so`, parameters: { 'high-availability': ha } }],
      loggers: [{ name: 'kea-dhcp4', severity: 'INFO', output_options: [{ output: 'stdout' }] }],
    },
  };
}

interface Verdict {
  /** Kea's HA refusal text, if it printed one. */
  refusal?: string;
  started: boolean;
  exit: number | null;
  output: string;
}

/** Starts kea-dhcp4 on the configuration `build` gives (an object, or a file's text); resolves when it exits or reports started (then stops it by PID). */
async function runKea(t: Target, build: (inner: string) => unknown): Promise<Verdict> {
  const { outer, inner } = workDir(t);
  try {
    const body = build(inner);
    writeFileSync(join(outer, 'dhcp4.json'), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
    const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', KEA_PIDFILE_DIR: inner, KEA_LOCKFILE_DIR: inner };
    const [cmd, args] = t.root
      ? [
          'chroot',
          [t.root, '/usr/bin/env', '-i', `PATH=${env.PATH}`, `KEA_PIDFILE_DIR=${inner}`, `KEA_LOCKFILE_DIR=${inner}`, 'kea-dhcp4', '-c', `${inner}/dhcp4.json`],
        ]
      : ['kea-dhcp4', ['-c', `${inner}/dhcp4.json`]];
    // chroot and env exec: the PID is kea-dhcp4's own.
    const kea = await startDaemon({ name: `kea-dhcp4 ${t.label}`, command: cmd as string, args: args as string[], env, maxOutput: MAX_OUTPUT });
    let started = false;
    try {
      // Either ends the wait: DHCP4_STARTED (then it is stopped by PID) or its exit (the verdict
      // is in its output). Neither within the bound fails the test, with its last lines.
      await waitReady(kea, () => /DHCP4_STARTED/.test(kea.output()), { what: `kea-dhcp4 ${t.label} to start or exit`, withinMs: EXIT_WITHIN_MS, everyMs: 20 });
      started = true;
      await kea.stop();
    } catch (err) {
      if (!(err instanceof DaemonError && err.kind === 'exited')) throw err;
    }
    await kea.closed;
    const output = kea.output();
    const m = REFUSAL.exec(output);
    return { ...(m ? { refusal: m[1]!.trimEnd() } : {}), started: started || /DHCP4_STARTED/.test(output), exit: kea.child.exitCode, output };
  } finally {
    rmSync(outer, { recursive: true, force: true });
  }
}

function ours(ha: unknown[], version: Version): string[] {
  return haConfigFindings(readHaRelationships(ha, []), { version }).map((f) => f.message);
}

for (const t of targets) {
  describe(`real kea-dhcp4 ${t.label} judges each HA rule row as our rules do`, () => {
    let ports: Ports;
    before(async () => {
      ports = { p1: await freePort('127.0.0.1'), p3: await freePort('127.0.0.3') };
    });

    const check = async (c: HaCase) => {
      const ha = c.ha(ports);
      const want = c.expect(t.version, ports);
      const v = await runKea(t, (inner) => dhcp4Config(t, inner, ha));
      const found = ours(ha, t.version);
      if (want === null) {
        assert.equal(v.refusal, undefined, `Kea refused: ${v.refusal}`);
        assert.ok(v.started, `Kea did not start (exit ${v.exit}):\n${v.output.slice(-1500)}`);
        assert.match(v.output, /HA_CONFIGURATION_SUCCESSFUL/);
        assert.deepEqual(found, []);
        return;
      }
      assert.ok(!v.started, 'Kea started on a configuration it should refuse');
      assert.notEqual(v.exit, 0);
      assert.ok(v.refusal !== undefined, `no HA refusal in Kea's output (exit ${v.exit}):\n${v.output.slice(-1500)}`);
      assert.equal(found[0], want);
      if (!c.oursOnly) assert.equal(v.refusal, want);
    };
    for (const c of HEALTHY) it(`accepts: ${c.rule}`, () => check(c));
    for (const c of CASES) it(c.rule, () => check(c));
  });
}

// ---- the file reader against `kea-dhcp4 -t` ---------------------------------------------------

const BASE = '"interfaces-config": {"interfaces": []}, "lease-database": {"type": "memfile", "persist": false}';
const uc = (json: string) => `{"Dhcp4": { ${BASE}, "user-context": ${json} }}`;
/** files: main.json first; "sub/" names go into a subfolder; kea is started in the work folder. */
interface SyntaxRow {
  name: string;
  files: Record<string, string>;
  main?: string;
}
const chain = (depth: number): Record<string, string> => {
  const files: Record<string, string> = { 'main.json': `{"Dhcp4": { ${BASE}, <?include "f1.json"?> }}` };
  for (let i = 1; i <= depth; i++) files[`f${i}.json`] = i === depth ? '"valid-lifetime": 4000' : `<?include "f${i + 1}.json"?>`;
  return files;
};
const SYNTAX: SyntaxRow[] = [
  {
    name: 'comments of three kinds, and comment marks inside strings',
    files: { 'main.json': `# a\n{ // b\n"Dhcp4": { /* c\n d */ ${BASE}, "user-context": {"a": "x#y//z/*w*/"} } }\n// e` },
  },
  { name: 'extra commas', files: { 'main.json': `{"Dhcp4": { ${BASE},, "user-context": {"a": [1,,2,], "b": 1,}, }, }` } },
  { name: 'numbers like .5, 1., +1, 01, -0', files: { 'main.json': uc('{"a": [.5, 1., +1, 01, -0, 1.5e3, 9223372036854775807]}') } },
  { name: 'a \\u00XX escape and raw UTF-8', files: { 'main.json': uc('{"a": "\\u00e9", "b": "Łódź"}') } },
  {
    name: 'an include relative to the start folder',
    files: { 'sub/main.json': `{"Dhcp4": { ${BASE}, <?include "frag.json"?> }}`, 'frag.json': '"valid-lifetime": 4000' },
    main: 'sub/main.json',
  },
  {
    name: 'an include found only next to the including file',
    files: { 'sub/main.json': `{"Dhcp4": { ${BASE}, <?include "frag.json"?> }}`, 'sub/frag.json': '"valid-lifetime": 4000' },
    main: 'sub/main.json',
  },
  {
    name: 'blanks and newlines inside the directive',
    files: { 'main.json': `{"Dhcp4": { ${BASE}, <?\n include   "frag.json" \n?> }}`, 'frag.json': '"valid-lifetime": 4000' },
  },
  { name: '11 nested includes', files: chain(11) },
  { name: '12 nested includes', files: chain(12) },
  {
    name: 'an include loop',
    files: { 'main.json': `{"Dhcp4": { ${BASE}, <?include "a.json"?> }}`, 'a.json': '<?include "b.json"?>', 'b.json': '<?include "a.json"?>' },
  },
  { name: 'a missing include', files: { 'main.json': `{"Dhcp4": { ${BASE}, <?include "gone.json"?> }}` } },
  { name: 'an empty include name', files: { 'main.json': `{"Dhcp4": { ${BASE}, <?include ""?> }}` } },
  { name: 'an unknown directive', files: { 'main.json': `{"Dhcp4": { ${BASE}, <?php "x"?> }}` } },
  { name: 'a stray brace', files: { 'main.json': `{"Dhcp4": { ${BASE} }}}` } },
  { name: 'a missing comma', files: { 'main.json': uc('{"a": 1 "b": 2}') } },
  { name: 'a leading comma', files: { 'main.json': uc('{"a": [,1]}') } },
  { name: 'an empty file', files: { 'main.json': '' } },
  { name: 'an unclosed comment', files: { 'main.json': `{"Dhcp4": { ${BASE} }} /* x` } },
  { name: 'a duplicate key', files: { 'main.json': uc('{"a": 1, "a": 2}') } },
  { name: 'True', files: { 'main.json': uc('{"a": True}') } },
  { name: 'single quotes', files: { 'main.json': uc("{'a': 1}") } },
  { name: 'a bare word', files: { 'main.json': uc('{"a": yes}') } },
  { name: 'a bad escape', files: { 'main.json': uc('{"a": "x\\qy"}') } },
  { name: 'a \\u0141 escape', files: { 'main.json': uc('{"a": "\\u0141"}') } },
  { name: 'a tab in a string', files: { 'main.json': uc('{"a": "x\ty"}') } },
  { name: 'a string across lines', files: { 'main.json': uc('{"a": "x\ny"}') } },
  { name: 'an integer beyond 64 bits', files: { 'main.json': uc('{"a": 9223372036854775808}') } },
  { name: 'a lone dot', files: { 'main.json': uc('{"a": .}') } },
  { name: 'a float beyond double', files: { 'main.json': uc('{"a": 1.5e400}') } },
  { name: 'a BOM', files: { 'main.json': `\ufeff{"Dhcp4": { ${BASE} }}` } },
  { name: 'a second map after the first', files: { 'main.json': `{"Dhcp4": { ${BASE} }} {}` } },
  { name: 'an empty Dhcp4', files: { 'main.json': '{"Dhcp4": {}}' } },
  { name: 'an empty top level', files: { 'main.json': '{}' } },
  { name: 'only Dhcp6', files: { 'main.json': '{"Dhcp6": {"interfaces-config": {"interfaces": []}}}' } },
  { name: 'only Control-agent', files: { 'main.json': '{"Control-agent": {"http-port": 8000}}' } },
  { name: 'Dhcp4 with Control-agent next to it', files: { 'main.json': `{"Dhcp4": { ${BASE} }, "Control-agent": {"http-port": 8000}}` } },
  { name: 'a list at the top', files: { 'main.json': '[1]' } },
];

function writeFiles(outer: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(outer, name, '..'), { recursive: true });
    writeFileSync(join(outer, name), text);
  }
}

/** kea-dhcp4 -t, started in the work folder; true when Kea accepts the file. */
function keaSyntaxOk(t: Target, inner: string, main: string): { ok: boolean; output: string } {
  const r = t.root
    ? spawnSync(
        'chroot',
        [
          t.root,
          '/usr/bin/env',
          '-i',
          '-C',
          inner,
          'PATH=/usr/sbin:/usr/bin',
          `KEA_PIDFILE_DIR=${inner}`,
          `KEA_LOCKFILE_DIR=${inner}`,
          'kea-dhcp4',
          '-t',
          main,
        ],
        { timeout: EXIT_WITHIN_MS, encoding: 'utf8' },
      )
    : spawnSync('kea-dhcp4', ['-t', main], {
        cwd: inner,
        timeout: EXIT_WITHIN_MS,
        encoding: 'utf8',
        env: { PATH: '/usr/sbin:/usr/bin', KEA_PIDFILE_DIR: inner, KEA_LOCKFILE_DIR: inner },
      });
  if (r.error) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.slice(-1500) };
}

for (const t of targets) {
  describe(`readKeaConfigFile accepts exactly what kea-dhcp4 -t ${t.label} accepts`, () => {
    for (const row of SYNTAX) {
      it(row.name, () => {
        const { outer, inner } = workDir(t);
        try {
          writeFiles(outer, row.files);
          const main = row.main ?? 'main.json';
          const kea = keaSyntaxOk(t, inner, main);
          let oursOk = true;
          let why = '';
          try {
            readKeaConfigFile(join(outer, main), { cwd: outer });
          } catch (err) {
            oursOk = false;
            why = (err as Error).message;
          }
          assert.equal(oursOk, kea.ok, `ours: ${oursOk ? 'accepted' : why}; kea-dhcp4 -t: ${kea.ok ? 'accepted' : kea.output}`);
        } finally {
          rmSync(outer, { recursive: true, force: true });
        }
      });
    }
  });
}

// ---- Kea's own example -------------------------------------------------------------------------

describe("Kea's example ha-load-balancing-primary.json", () => {
  const FIXTURE = '/work/shared/fixtures/kea/ha-load-balancing-primary.json';
  const host = targets[0]!;
  let outer: string;
  let text: string;
  before(() => {
    outer = mkdtempSync(join(tmpdir(), 'kea-fixture-'));
    // As its README says: the hooks where Debian puts them, no interfaces, private paths, loopback peers.
    text = readFileSync(FIXTURE, 'utf8')
      .replaceAll('/opt/lib/kea/hooks', HOOKS)
      .replace('"interfaces": [ "eth0" ]', '"interfaces": [ ]')
      .replace('/tmp/kea4-ctrl-socket', join(outer, 'kea4.sock'))
      .replace('"type": "memfile"', `"type": "memfile", "persist": false`);
  });
  after(() => rmSync(outer, { recursive: true, force: true }));

  it('is accepted by kea-dhcp4 -t and by our reader, comments and all', () => {
    writeFileSync(join(outer, 'main.json'), text);
    assert.ok(text.includes('//'), 'the example keeps its comments');
    const kea = keaSyntaxOk(host, outer, 'main.json');
    assert.ok(kea.ok, kea.output);
    const r = readKeaConfigFile(join(outer, 'main.json'));
    assert.deepEqual(r.files, [join(outer, 'main.json')]);
  });

  it('has an HA configuration the real kea-dhcp4 loads and our rules pass', async () => {
    const port = await freePort('127.0.0.1');
    const loop = text.replace('http://192.168.56.33:8000/', `http://127.0.0.1:${port}/`).replace('http://192.168.56.66:8000/', 'http://127.0.0.2:8000/');
    writeFileSync(join(outer, 'loop.json'), loop);
    const dhcp4 = readKeaConfigFile(join(outer, 'loop.json')).Dhcp4;
    const hooks = dhcp4['hooks-libraries'] as { library: string; parameters?: Record<string, unknown> }[];
    const ha = hooks.find((h) => h.library.endsWith('libdhcp_ha.so'))!.parameters!['high-availability'] as unknown[];
    assert.deepEqual(ours(ha, host.version), []);
    // Kea reads the very text we read, comments included.
    const v = await runKea(host, () => loop);
    assert.equal(v.refusal, undefined);
    assert.ok(v.started, v.output.slice(-1500));
    assert.match(v.output, /HA_CONFIGURATION_SUCCESSFUL/);
  });
});
