import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderOne as render } from '../../helpers/report-fixture.js';
import type { CheckResult } from '../../../src/report/types.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain, ANSI } from '../../helpers/reporters.js';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { human } from '../../../src/report/human.js';
import { renderOne } from '../../helpers/report-fixture.js';
import { FULL, PAIRINGS } from '../../helpers/plan-report.js';

describe('human reporter', async () => {
  const out = render('human', makeReport(), plain);

  it('without colour has no ANSI, the full message, details, fix and the summary', async () => {
    assert.doesNotMatch(out, ANSI);
    assert.ok(out.includes(`\n    ${TIME_MESSAGE}\n`));
    assert.ok(out.includes('partner: dhcp2.example.com -> 192.0.2.2'));
    assert.ok(out.includes('    skewSeconds: 95.2\n'));
    assert.ok(out.includes('    clocks:\n      local: this machine\n'));
    assert.match(out, /\n {2}\d\. time: Set up NTP on both servers\n/, 'the fix is numbered in the verdict block');
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
    assert.ok(render('human', makeReport(), { color: false, verbose: true }).includes('    address: 192.0.2.2\n'));
  });

  it('with colour has ANSI codes', async () => {
    assert.match(render('human', makeReport(), { color: true, verbose: false }), ANSI);
  });

  it('ends with a verdict block: NOT READY naming failed and unknown checks, fixes numbered once each', async () => {
    const lines = out.trimEnd().split('\n');
    const at = lines.findIndex((l) => l.startsWith('NOT READY'));
    assert.equal(lines[at], 'NOT READY  2 failed: time, scopes; 1 not determined: version');
    // Failures' fixes first, then the warning's; each check points to its number.
    assert.deepEqual(lines.slice(at + 1, -1), ['  1. time: Set up NTP on both servers', '  2. relationships: Remove an unused relationship on the partner']);
    assert.match(out, /✖ time[\s\S]*→ fix 1 below\n/);
    for (const fix of ['Set up NTP on both servers', 'Remove an unused relationship on the partner']) assert.equal(out.split(fix).length - 1, 1, `${fix} once`);
  });

  it('lists a fix that several checks share once, naming them all, each pointing to its number', async () => {
    const fix = 'Make the partner source readable: Kea version-get at http://127.0.0.3:8000/: connection refused. Then run again.';
    const unknown = (id: CheckResult['id']): CheckResult => ({
      id,
      title: id,
      status: 'unknown',
      code: `${id}.not-known`,
      message: 'not known',
      details: {},
      evidence: [],
      fix,
      durationMs: 0,
    });
    const text = render('human', makeReport([...CHECKS.filter((c) => c.id === 'time'), unknown('permissions'), unknown('version')]), plain);
    const lines = text.trimEnd().split('\n');
    const at = lines.findIndex((l) => l.startsWith('NOT READY'));
    assert.deepEqual(lines.slice(at + 1, -1), ['  1. time: Set up NTP on both servers', `  2. permissions, version: ${fix}`]);
    assert.equal(text.split('→ fix 2 below').length - 1, 2, 'both checks point to fix 2');
  });

  it('says READY (green) when nothing failed or is unknown, naming the warnings', async () => {
    const ok = CHECKS.filter((c) => c.status === 'pass' || c.status === 'warn');
    const text = render('human', makeReport(ok), plain);
    assert.match(text, /\nREADY {2}with 1 warning: relationships\n {2}1\. relationships: /);
    const coloured = render('human', makeReport(ok), { color: true, verbose: false });
    assert.ok(coloured.includes('\x1b[1m\x1b[32mREADY'), 'bold green');
    assert.ok(render('human', makeReport(), { color: true, verbose: false }).includes('\x1b[1m\x1b[31mNOT READY'), 'bold red');
  });

  it('folds unselected and not-applicable checks into one line', async () => {
    const skipped = (id: CheckResult['id'], code: string): CheckResult => ({ id, title: id, status: 'skip', code, message: 'x', details: {}, durationMs: 0 });
    const text = render(
      'human',
      makeReport([
        ...CHECKS.slice(0, 2),
        skipped('scopes', 'scopes.not-selected'),
        skipped('time', 'time.not-selected'),
        skipped('peers', 'peers.not-applicable'),
      ]),
      plain,
    );
    assert.ok(text.includes('\n○ not run: scopes, time (not selected); peers (not applicable to this pair)\n'));
    assert.doesNotMatch(text, /^○ (scopes|time|peers) /m);
  });

  it('shows evidence instead of details, details with -v, and never zero or empty fields', async () => {
    const time: CheckResult = {
      ...CHECKS[7]!,
      evidence: ['the partner is 95.2 s ahead ± 0.001 s, limit 60 s (--max-time-skew)'],
      details: { differenceMs: 95_200, local: { source: 'this machine', offsetMs: 0, delayMs: 0 }, notes: [], extra: {} },
    };
    const text = render('human', makeReport([time]), plain);
    assert.ok(text.includes('    · the partner is 95.2 s ahead ± 0.001 s, limit 60 s (--max-time-skew)\n'));
    assert.ok(!text.includes('differenceMs'), 'details only with -v');
    const verbose = render('human', makeReport([time]), { color: false, verbose: true });
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
    const text = render('human', makeReport([{ ...CHECKS[7]!, details: { name: 'evil\x1b[2Jname' } }]), plain);
    assert.doesNotMatch(text, ANSI);
    assert.ok(text.includes('name: evil\\x1b[2Jname'));
  });
});
const planHumanReporter = human.render;
const humanReporter = (r: Parameters<typeof renderOne>[1], o: Parameters<typeof renderOne>[2]) => renderOne('human', r, o);

describe('planHumanReporter', () => {
  it('grouped by pairing, each exactly its single-pair report, then the plan line', async () => {
    const text = await planHumanReporter(buildPlanReport('fleet.yaml', PAIRINGS, new Date()), plain);
    assert.ok(text.startsWith('dhcp-failover-check 0.1.0 — plan fleet.yaml: 2 pairings\n\n━━ pairing 1/2: hub -> branch1 ━━\n'));
    for (const p of PAIRINGS) assert.ok(text.includes(humanReporter(p.report, plain).trimEnd()));
    assert.ok(text.indexOf('pairing 1/2') < text.indexOf('pairing 2/2'));
    assert.ok(text.includes(FULL));
    assert.match(text, /\nplan: 2 pairings: 1 ok, 1 failed, 0 undetermined .* — exit code 1\n$/);
  });

  it('colour only when asked', async () => {
    const report = buildPlanReport('fleet.yaml', PAIRINGS, new Date());
    assert.doesNotMatch(await planHumanReporter(report, plain), /\x1b\[/);
    assert.match(await planHumanReporter(report, { color: true, verbose: false }), /\x1b\[/);
  });
});
