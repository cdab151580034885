import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderOne as render } from '../../helpers/report-fixture.js';
import type { Report } from '../../../src/report/types.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain, ANSI } from '../../helpers/reporters.js';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import fc from 'fast-check';
import { json, jsonSafe, toJsonValue } from '../../../src/report/json.js';
import { PlanReportSchema } from '../../../src/report/schema.js';
import { renderOne } from '../../helpers/report-fixture.js';
import { PAIRINGS } from '../../helpers/plan-report.js';

describe('json reporter', () => {
  it('round-trips the report, in order, with the exact message', async () => {
    const report = makeReport();
    const out = render('json', report, { color: true, verbose: true });
    assert.ok(out.endsWith('}\n'));
    assert.doesNotMatch(out, ANSI);
    assert.ok(out.includes('\n  "schemaVersion": 1,'), 'two-space indent');
    assert.deepEqual(JSON.parse(out), report);
    const parsed = JSON.parse(out) as Report;
    assert.deepEqual(
      parsed.checks.map((c) => c.id),
      CHECKS.map((c) => c.id),
    );
    assert.equal(parsed.checks.find((c) => c.id === 'time')?.message, TIME_MESSAGE);
  });

  it('survives details JSON.stringify cannot handle', async () => {
    const cyclic: Record<string, unknown> = { big: 10n, map: new Map([['k', 1]]), err: new Error('boom') };
    cyclic.self = cyclic;
    const out = render('json', makeReport([{ ...CHECKS[0]!, details: cyclic }]), plain);
    const details = (JSON.parse(out) as Report).checks[0]?.details;
    assert.deepEqual(details, { big: '10', map: { k: 1 }, err: { name: 'Error', message: 'boom' }, self: '[Circular]' });
  });

  it('marks only a true cycle: a value shared by two branches is written twice, and a sibling after a cycle is whole', () => {
    const shared = { n: 1 };
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.back = [loop, { deeper: loop }];
    const value = { a: shared, b: [shared, new Set([shared])], loop, after: { shared } };
    assert.deepEqual(toJsonValue(value), {
      a: { n: 1 },
      b: [{ n: 1 }, [{ n: 1 }]],
      loop: { name: 'loop', back: ['[Circular]', { deeper: '[Circular]' }] },
      after: { shared: { n: 1 } },
    });
  });

  it('jsonSafe writes what toJsonValue writes, and hands a plain value over without copying it', () => {
    const special = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, undefined, null, -0),
      fc.bigInt(),
      fc.date({ noInvalidDate: true }),
      fc.constant(new Error('boom')),
      fc.constant(() => 1),
      fc.constant(Symbol('s')),
    );
    const leaf = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), special);
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('tree')),
        fc.dictionary(fc.string(), tie('tree')),
        fc.array(tie('tree')).map((a) => new Set(a)),
      ),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        const doc = { value };
        assert.equal(JSON.stringify(jsonSafe(doc)), JSON.stringify(toJsonValue(doc)));
      }),
    );
    const plain = { a: [1, 'x', { b: null, c: true }], d: {} };
    assert.equal(jsonSafe(plain), plain, 'a plain document is not copied');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.deepEqual(jsonSafe(cyclic), { a: 1, self: '[Circular]' });
  });

  it('keeps a "__proto__" key as an own key, from an object or a Map', () => {
    const fromObject = toJsonValue(JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')) as Record<string, unknown>;
    const fromMap = toJsonValue(new Map([['__proto__', { polluted: true }]])) as Record<string, unknown>;
    for (const out of [fromObject, fromMap]) {
      assert.ok(Object.hasOwn(out, '__proto__'));
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }
    assert.equal(JSON.stringify(fromObject), '{"__proto__":{"polluted":true},"x":1}');
  });
});
const planJsonReporter = json.render;
const jsonReporter = (r: Parameters<typeof renderOne>[1], o: Parameters<typeof renderOne>[2]) => renderOne('json', r, o);

describe('planJsonReporter', () => {
  it("matches the published schema; each pairing's checks are exactly the single-pair JSON's", async () => {
    const doc = JSON.parse(await planJsonReporter(buildPlanReport('fleet.yaml', PAIRINGS, new Date()), plain)) as Record<string, unknown>;
    const r = PlanReportSchema.parse(doc);
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'tool', 'plan', 'startedAt', 'durationMs', 'pairings', 'summary', 'exitCode']);
    assert.equal(r.plan, 'fleet.yaml');
    assert.deepEqual(
      r.pairings.map((p) => [p.local.name, p.partner.name, p.exitCode]),
      [
        ['hub', 'branch1', 0],
        ['hub', 'branch#2', 1],
      ],
    );
    for (const [i, p] of r.pairings.entries()) {
      const single = JSON.parse(jsonReporter(PAIRINGS[i]!.report, plain)) as { checks: unknown; summary: unknown };
      assert.deepEqual(p.checks, single.checks);
      assert.deepEqual(p.summary, single.summary);
    }
    assert.equal(r.pairings[1]!.local.source, 'inventory:/plans/hub.yaml');
    assert.equal(r.exitCode, 1);
  });
});
