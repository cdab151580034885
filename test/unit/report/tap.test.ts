import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { messages } from '../../../src/checks/messages.js';
import { renderOne as render } from '../../helpers/report-fixture.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain } from '../../helpers/reporters.js';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { tap } from '../../../src/report/tap.js';
import { renderOne } from '../../helpers/report-fixture.js';
import { PAIRINGS } from '../../helpers/plan-report.js';

describe('tap reporter', () => {
  it('has the plan, ok/not ok points and valid YAMLish', async () => {
    const tap = render('tap', makeReport(), plain);
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

    const blocks = [...tap.matchAll(/^ {2}---\n([\s\S]*?)^ {2}\.\.\.$/gm)].map(
      (m) => parseYaml((m[1] ?? '').replace(/^ {2}/gm, '')) as Record<string, unknown>,
    );
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
    const tap = render('tap', makeReport([{ ...CHECKS[7]!, title: 'C# check', message }]), plain);
    assert.ok(tap.includes('not ok 1 - time: C\\# check\n'));
    const block = /^ {2}---\n([\s\S]*?)^ {2}\.\.\.$/m.exec(tap)?.[1] ?? '';
    assert.equal((parseYaml(block.replace(/^ {2}/gm, '')) as { message: string }).message, message);
  });
});
const planTapReporter = tap.render;
const tapReporter = (r: Parameters<typeof renderOne>[1], o: Parameters<typeof renderOne>[2]) => renderOne('tap', r, o);

describe('planTapReporter', () => {
  it('TAP 14: one test point per pairing after its subtest, the single-pair TAP indented four spaces', async () => {
    const tap = await planTapReporter(buildPlanReport('fleet.yaml', PAIRINGS, new Date()), plain);
    const lines = tap.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['TAP version 14', '1..2', '# Subtest: hub -> branch1']);
    const single = tapReporter(PAIRINGS[1]!.report, plain)
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => `    ${l}`)
      .join('\n');
    assert.ok(tap.includes(`# Subtest: hub -> branch\\#2\n${single}\nnot ok 2 - hub -> branch\\#2\n`), tap);
    assert.ok(tap.includes('\nok 1 - hub -> branch1\n'));
    assert.match(tap, /\n# plan: 2 pairings: 1 ok, 1 failed, .* — exit code 1\n$/);
    assert.equal(lines.filter((l) => l.startsWith('TAP version')).length, 1);
  });
});
