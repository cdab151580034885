import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { messages } from '../../../src/checks/messages.js';
import { reporters, render } from '../../../src/report/index.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain } from '../../helpers/reporters.js';

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
    const tap = (await reporters.tap())(makeReport([{ ...CHECKS[7]!, title: 'C# check', message }]), plain);
    assert.ok(tap.includes('not ok 1 - time: C\\# check\n'));
    const block = /^  ---\n([\s\S]*?)^  \.\.\.$/m.exec(tap)?.[1] ?? '';
    assert.equal((parseYaml(block.replace(/^  /gm, '')) as { message: string }).message, message);
  });
});
