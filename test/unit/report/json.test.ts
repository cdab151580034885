import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reporters, render } from '../../../src/report/index.js';
import type { Report } from '../../../src/report/types.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain, ANSI } from '../../helpers/reporters.js';

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
    const out = (await reporters.json())(makeReport([{ ...CHECKS[0]!, details: cyclic }]), plain);
    const details = (JSON.parse(out) as Report).checks[0]?.details;
    assert.deepEqual(details, { big: '10', map: { k: 1 }, err: { name: 'Error', message: 'boom' }, self: '[Circular]' });
  });
});
