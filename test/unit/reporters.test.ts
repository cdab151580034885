import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { messages } from '../../src/checks/messages.js';
import { CHECK_IDS, STATUSES, type Status } from '../../src/checks/ids.js';
import { renderOne as render } from '../helpers/report-fixture.js';
import { createProgress } from '../../src/report/progress.js';
import type { CheckResult, Report } from '../../src/report/types.js';

const TIME_MESSAGE = messages.time('1');
const SCOPES = Array.from({ length: 14 }, (_, i) => `10.0.${i}.0/24`);

const CHECKS: CheckResult[] = [
  { id: 'dns', title: 'Partner name resolves', status: 'pass', code: 'dns.test-pass', message: 'dhcp2.example.com is 192.0.2.2', details: { address: '192.0.2.2' }, durationMs: 4 },
  { id: 'ip', title: 'Partner address is a valid IPv4 address', status: 'pass', code: 'ip.test-pass', message: '192.0.2.2', details: {}, durationMs: 0 },
  { id: 'reachability', title: 'Partner is reachable', status: 'pass', code: 'reachability.test-pass', message: 'TCP 647 answered in 3 ms', details: { port: 647 }, durationMs: 3 },
  {
    id: 'version', title: 'Partner version supports failover', status: 'unknown', code: 'version.test-unknown',
    message: 'Could not read the partner version: Kea Control Agent answered HTTP 503.',
    details: { source: 'kea http://192.0.2.2:8000/', httpStatus: 503 }, durationMs: 120,
  },
  { id: 'permissions', title: 'Permissions on the partner', status: 'skip', code: 'permissions.test-skip', message: 'not selected', details: {}, durationMs: 0 },
  {
    id: 'relationships', title: 'Room for another failover relationship', status: 'warn', code: 'relationships.test-warn', ignored: true,
    message: messages.relationships('partner', 31), details: { partner: 31, names: ['a', 'b', 'c', 'd', 'e'] },
    fix: 'Remove an unused relationship on the partner', durationMs: 8,
  },
  { id: 'service', title: 'DHCP service is running', status: 'pass', code: 'service.test-pass', message: 'running on both', details: {}, durationMs: 2 },
  {
    id: 'time', title: 'Time is synchronized between both servers', status: 'fail', code: 'time.test-fail', message: TIME_MESSAGE,
    details: { skewSeconds: 95.2, limitSeconds: 60, clocks: { local: 'this machine', partner: 'sntp 192.0.2.2:123' } },
    fix: 'Set up NTP on both servers', durationMs: 40,
  },
  {
    id: 'scopes', title: 'Scopes do not already exist on the partner', status: 'fail', code: 'scopes.test-fail', message: messages.scopes(),
    details: { scopes: SCOPES, source: [{ kind: 'windows-json', path: 'partner.json' }] }, durationMs: 1,
  },
];

function summarise(checks: CheckResult[]): Record<Status, number> {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  return summary;
}

function makeReport(checks: CheckResult[] = CHECKS): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'dhcp-failover-check', version: '0.1.0' },
    partner: { input: 'dhcp2.example.com', address: '192.0.2.2' },
    local: { input: null, source: 'windows-json local.json' },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 180,
    checks,
    summary: summarise(checks),
    exitCode: checks.some((c) => c.status === 'fail') ? 1 : 0,
  };
}

const plain = { color: false, verbose: false };
const ANSI = /\x1b\[/;

describe('json reporter', () => {
  it('round-trips the report, in order, with the exact message', async () => {
    const report = makeReport();
    const out = await render('json', report, { color: true, verbose: true });
    assert.ok(out.endsWith('}\n'));
    assert.doesNotMatch(out, ANSI);
    assert.ok(out.includes('\n  "schemaVersion": 1,'), 'two-space indent');
    assert.deepEqual(JSON.parse(out), report);
    const parsed = JSON.parse(out) as Report;
    assert.deepEqual(parsed.checks.map((c) => c.id), CHECKS.map((c) => c.id));
    assert.equal(parsed.checks.find((c) => c.id === 'time')?.message, TIME_MESSAGE);
  });

  it('survives details JSON.stringify cannot handle', async () => {
    const cyclic: Record<string, unknown> = { big: 10n, map: new Map([['k', 1]]), err: new Error('boom') };
    cyclic.self = cyclic;
    const out = await render('json', makeReport([{ ...CHECKS[0]!, details: cyclic }]), plain);
    const details = (JSON.parse(out) as Report).checks[0]?.details;
    assert.deepEqual(details, { big: '10', map: { k: 1 }, err: { name: 'Error', message: 'boom' }, self: '[Circular]' });
  });
});

describe('junit reporter', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => name === 'testcase' });
  type Case = { name: string; classname: string; failure?: { message: string; type: string; '#text': string }; error?: { message: string }; skipped?: unknown; 'system-out'?: string };
  const parseSuite = (xml: string) => {
    assert.equal(XMLValidator.validate(xml), true);
    const doc = parser.parse(xml) as { testsuites: { testsuite: Record<string, string> & { testcase: Case[] } } };
    return doc.testsuites.testsuite;
  };

  it('is well-formed with the right counts and the exact failure message', async () => {
    const xml = await render('junit', makeReport(), plain);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    const suite = parseSuite(xml);
    assert.equal(suite.name, 'dhcp-failover-check');
    assert.deepEqual([suite.tests, suite.failures, suite.errors, suite.skipped], ['9', '2', '1', '1']);
    assert.equal(suite.testcase.length, 9);
    const time = suite.testcase.find((c) => c.name === 'time: Time is synchronized between both servers');
    assert.equal(time?.classname, 'dhcp-failover-check');
    assert.equal(time?.failure?.message, TIME_MESSAGE);
    assert.equal(time?.failure?.type, 'time.test-fail', 'the failure type is the stable code');
    assert.match(time?.failure?.['#text'] ?? '', /skewSeconds: 95\.2\n/);
    assert.match(time?.failure?.['#text'] ?? '', /fix: Set up NTP on both servers/);
    assert.equal(suite.testcase.find((c) => c.name.startsWith('version:'))?.error?.message, CHECKS[3]?.message);
    assert.ok('skipped' in (suite.testcase.find((c) => c.name.startsWith('permissions:')) ?? {}));
    const warned = suite.testcase.find((c) => c.name.startsWith('relationships:'));
    assert.equal(warned?.failure, undefined);
    assert.match(warned?.['system-out'] ?? '', /warning \(failure ignored\): The partner server already has 31/);
  });

  it('escapes markup and strips characters XML 1.0 forbids', async () => {
    const message = `a < b & "c" 'd' > e\u0001 ]]>`;
    const xml = await render('junit', makeReport([{ ...CHECKS[7]!, title: '<T&"\'>', message }]), plain);
    const [only] = parseSuite(xml).testcase;
    assert.equal(only?.failure?.message, `a < b & "c" 'd' > e ]]>`);
    assert.equal(only?.name, `time: <T&"'>`);
  });
});

describe('tap reporter', () => {
  it('has the plan, ok/not ok points and valid YAMLish', async () => {
    const tap = await render('tap', makeReport(), plain);
    const lines = tap.split('\n');
    assert.equal(lines[0], 'TAP version 14');
    assert.equal(lines[1], '1..9');
    const points = lines.filter((l) => /^(not )?ok \d+ /.test(l));
    assert.deepEqual(points, [
      'ok 1 - dns: Partner name resolves',
      'ok 2 - ip: Partner address is a valid IPv4 address',
      'ok 3 - reachability: Partner is reachable',
      'not ok 4 - version: Partner version supports failover',
      'ok 5 - permissions: Permissions on the partner # SKIP not selected',
      'ok 6 - relationships: Room for another failover relationship',
      'ok 7 - service: DHCP service is running',
      'not ok 8 - time: Time is synchronized between both servers',
      'not ok 9 - scopes: Scopes do not already exist on the partner',
    ]);
    assert.ok(lines.includes(`# warning (failure ignored): ${messages.relationships('partner', 31)}`));

    const blocks = [...tap.matchAll(/^  ---\n([\s\S]*?)^  \.\.\.$/gm)].map((m) => parseYaml((m[1] ?? '').replace(/^  /gm, '')) as Record<string, unknown>);
    assert.equal(blocks.length, 4);
    const unknownBlock = blocks.find((b) => b.status === 'unknown');
    assert.deepEqual(unknownBlock?.details, CHECKS[3]?.details);
    assert.equal(unknownBlock?.message, CHECKS[3]?.message);
    const timeBlock = blocks.find((b) => b.message === TIME_MESSAGE);
    assert.equal(timeBlock?.status, 'fail');
    assert.deepEqual(timeBlock?.details, CHECKS[7]?.details);
  });

  it('escapes # in descriptions and quotes awkward YAML', async () => {
    const message = 'key: value # not a comment\n- "quoted"';
    const tap = await render('tap', makeReport([{ ...CHECKS[7]!, title: 'C# check', message }]), plain);
    assert.ok(tap.includes('not ok 1 - time: C\\# check\n'));
    const block = /^  ---\n([\s\S]*?)^  \.\.\.$/m.exec(tap)?.[1] ?? '';
    assert.equal((parseYaml(block.replace(/^  /gm, '')) as { message: string }).message, message);
  });
});

describe('human reporter', async () => {
  const out = await render('human', makeReport(), plain);

  it('without colour has no ANSI, the full message, details, fix and the summary', async () => {
    assert.doesNotMatch(out, ANSI);
    assert.ok(out.includes(`\n    ${TIME_MESSAGE}\n`));
    assert.ok(out.includes('partner: dhcp2.example.com -> 192.0.2.2'));
    assert.ok(out.includes('    skewSeconds: 95.2\n'));
    assert.ok(out.includes('    clocks:\n      local: this machine\n'));
    assert.match(out, /\n  \d\. time: Set up NTP on both servers\n/, 'the fix is numbered in the verdict block');
    assert.ok(out.includes('… and 4 more'), 'long lists are capped');
    assert.ok(out.includes('    source:\n      - kind: windows-json\n        path: partner.json\n'), 'object items read YAML-style');
    assert.ok(out.includes('(ignored)'));
    assert.match(out, /^✖ time +Time is synchronized/m);
    assert.match(out, /^\? version /m);
    assert.match(out, /^○ permissions .*not selected$/m);
    assert.ok(out.endsWith('9 checks: 4 passed, 1 warning, 2 failed, 1 skipped, 1 unknown — exit code 1\n'));
  });

  it('shows pass details only when verbose', async () => {
    assert.ok(!out.includes('address: 192.0.2.2'));
    assert.ok((await render('human', makeReport(), { color: false, verbose: true })).includes('    address: 192.0.2.2\n'));
  });

  it('with colour has ANSI codes', async () => {
    assert.match(await render('human', makeReport(), { color: true, verbose: false }), ANSI);
  });

  it('ends with a verdict block: NOT READY naming failed and unknown checks, fixes numbered once each', async () => {
    const lines = out.trimEnd().split('\n');
    const at = lines.findIndex((l) => l.startsWith('NOT READY'));
    assert.equal(lines[at], 'NOT READY  2 failed: time, scopes; 1 not determined: version');
    // Failures' fixes first, then the warning's; each check points to its number.
    assert.deepEqual(lines.slice(at + 1, -1), ['  1. time: Set up NTP on both servers', '  2. relationships: Remove an unused relationship on the partner']);
    assert.match(out, /✖ time[^]*→ fix 1 below\n/);
    for (const fix of ['Set up NTP on both servers', 'Remove an unused relationship on the partner']) assert.equal(out.split(fix).length - 1, 1, `${fix} once`);
  });

  it('says READY (green) when nothing failed or is unknown, naming the warnings', async () => {
    const ok = CHECKS.filter((c) => c.status === 'pass' || c.status === 'warn');
    const text = await render('human', makeReport(ok), plain);
    assert.match(text, /\nREADY  with 1 warning: relationships\n  1\. relationships: /);
    const coloured = await render('human', makeReport(ok), { color: true, verbose: false });
    assert.ok(coloured.includes('\x1b[1m\x1b[32mREADY'), 'bold green');
    assert.ok((await render('human', makeReport(), { color: true, verbose: false })).includes('\x1b[1m\x1b[31mNOT READY'), 'bold red');
  });

  it('folds unselected and not-applicable checks into one line', async () => {
    const skipped = (id: CheckResult['id'], code: string): CheckResult => ({ id, title: id, status: 'skip', code, message: 'x', details: {}, durationMs: 0 });
    const text = await render('human', makeReport([...CHECKS.slice(0, 2), skipped('scopes', 'scopes.not-selected'), skipped('time', 'time.not-selected'), skipped('peers', 'peers.not-applicable')]), plain);
    assert.ok(text.includes('\n○ not run: scopes, time (not selected); peers (not applicable to this pair)\n'));
    assert.doesNotMatch(text, /^○ (scopes|time|peers) /m);
  });

  it('shows evidence instead of details, details with -v, and never zero or empty fields', async () => {
    const time: CheckResult = {
      ...CHECKS[7]!,
      evidence: ['the partner is 95.2 s ahead ± 0.001 s, limit 60 s (--max-time-skew)'],
      details: { differenceMs: 95_200, local: { source: 'this machine', offsetMs: 0, delayMs: 0 }, notes: [], extra: {} },
    };
    const text = await render('human', makeReport([time]), plain);
    assert.ok(text.includes('    · the partner is 95.2 s ahead ± 0.001 s, limit 60 s (--max-time-skew)\n'));
    assert.ok(!text.includes('differenceMs'), 'details only with -v');
    const verbose = await render('human', makeReport([time]), { color: false, verbose: true });
    assert.ok(verbose.includes('    differenceMs: 95200\n    local:\n      source: this machine\n'));
    for (const empty of ['offsetMs', 'delayMs', 'notes', 'extra']) assert.ok(!verbose.includes(empty), empty);
  });

  it('prints no line twice (the README example run, as a snapshot of shape)', async () => {
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    const seen = new Set<string>();
    for (const l of lines) {
      assert.ok(!seen.has(l), `printed twice: ${l}`);
      seen.add(l);
    }
  });

  it('neutralises escape sequences coming from details', async () => {
    const text = await render('human', makeReport([{ ...CHECKS[7]!, details: { name: 'evil\x1b[2Jname' } }]), plain);
    assert.doesNotMatch(text, ANSI);
    assert.ok(text.includes('name: evil\\x1b[2Jname'));
  });
});

describe('progress', () => {
  class Collect extends Writable {
    chunks: string[] = [];
    override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
      this.chunks.push(chunk.toString());
      cb();
    }
  }

  it('writes nothing when disabled', async () => {
    const sink = new Collect();
    const p = createProgress(sink, false);
    p.start(['time', 'dns']);
    p.done('dns');
    p.stop();
    assert.deepEqual(sink.chunks, []);
  });

  it('draws, redraws and clears when enabled', async () => {
    const sink = new Collect();
    const p = createProgress(sink, true);
    p.start(['dns', 'time', 'scopes']);
    p.done('dns');
    await new Promise((r) => setTimeout(r, 100));
    p.stop();
    p.stop();
    await new Promise((r) => setImmediate(r));
    assert.match(sink.chunks[0] ?? '', /running: dns, time, scopes \(0\/3 done\)/);
    assert.ok(sink.chunks.some((c) => /running: time, scopes \(1\/3 done\)/.test(c)));
    assert.ok(sink.chunks.length >= 3, 'the spinner redraws');
    assert.equal(sink.chunks.at(-1), '\r\x1b[2K');
    assert.equal(sink.chunks.filter((c) => c === '\r\x1b[2K').length, 1, 'stop is idempotent');
    const count = sink.chunks.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sink.chunks.length, count, 'no timer left behind');
  });
});
