import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS } from '../../src/checks/index.js';
import { CHECK_IDS, type CheckId, type Status } from '../../src/checks/ids.js';
import type { Check, Outcome } from '../../src/checks/types.js';
import { createContext } from '../../src/context.js';
import { exitCodeFor } from '../../src/exit-codes.js';
import { runChecks } from '../../src/runner.js';
import { fixturePath, makeContext, makePlan } from '../helpers/context.js';

const make =
  (status: Status) =>
  (message: string, extra: Partial<Outcome> = {}): Outcome => ({ status, code: `test.${status}`, message, details: {}, ...extra });
const [pass, warn, fail, _unknown] = (['pass', 'warn', 'fail', 'unknown'] as const).map(make) as [
  ReturnType<typeof make>,
  ReturnType<typeof make>,
  ReturnType<typeof make>,
  ReturnType<typeof make>,
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The nine documented checks, in documented order (more of our own may follow in CHECK_IDS). */
const NINE: CheckId[] = ['dns', 'ip', 'reachability', 'version', 'permissions', 'relationships', 'service', 'time', 'scopes'];

/** Nine checks with the real ids, in documented order; `run` decides each outcome. */
function fakeChecks(run: (id: CheckId, index: number) => Promise<Outcome>): Check[] {
  return NINE.map((id, index) => ({ id, title: `fake ${id}`, codes: {}, run: () => run(id, index) }));
}

describe('runChecks', () => {
  it('starts every selected check at once', { timeout: 60_000 }, async () => {
    // Each check goes on only once all nine have started: run one after another, the first would
    // wait until the runner's bound made it unknown.
    let started = 0;
    let allStarted!: () => void;
    const all = new Promise<void>((resolve) => (allStarted = resolve));
    const checks = fakeChecks(async () => {
      if (++started === NINE.length) allStarted();
      await all;
      await sleep(300);
      return pass('ok');
    });
    const results = await runChecks(makeContext(), {}, checks);
    assert.equal(started, 9);
    assert.deepEqual(
      results.map((r) => `${r.id} ${r.status} ${r.message}`),
      NINE.map((id) => `${id} pass ok`),
    );
    for (const r of results) assert.ok(r.durationMs >= 250, `${r.id} took ${r.durationMs} ms`);
  });

  it('finishes eight fast checks while a slow one still runs', { timeout: 60_000 }, async () => {
    // The slow check ends only after the eight others have: a runner that waited for it first
    // would leave it waiting until its bound made it unknown.
    const done: CheckId[] = [];
    let eightDone!: () => void;
    const others = new Promise<void>((resolve) => (eightDone = resolve));
    const checks = fakeChecks(async (id) => {
      if (id === 'dns') await others;
      return pass('ok');
    });
    const onDone = (r: { id: CheckId }) => {
      done.push(r.id);
      if (done.length === NINE.length - 1) eightDone();
    };
    const results = await runChecks(makeContext(), { onDone }, checks);
    assert.deepEqual(
      results.map((r) => r.status),
      Array(9).fill('pass'),
    );
    assert.equal(done.at(-1), 'dns');
  });

  it('keeps the documented order whatever order the checks finish in', async () => {
    const done: CheckId[] = [];
    const checks = fakeChecks(async (id, i) => {
      await sleep((9 - i) * 15);
      return pass(id);
    });
    const results = await runChecks(makeContext(), { onDone: (r) => done.push(r.id) }, checks);
    assert.deepEqual(
      results.map((r) => r.id),
      [...NINE],
    );
    assert.deepEqual(done, [...NINE].reverse());
  });

  it('turns a throwing check into unknown without affecting the others', async () => {
    const checks = fakeChecks(async (id) => {
      if (id === 'version') throw new Error('boom\nwith a second line');
      if (id === 'time') return Promise.reject(new TypeError('not a function'));
      return pass('ok');
    });
    const results = await runChecks(makeContext(), {}, checks);
    const byId = new Map(results.map((r) => [r.id, r]));
    assert.equal(byId.get('version')?.status, 'unknown');
    assert.equal(byId.get('version')?.message, 'could not be determined: boom');
    assert.equal(byId.get('time')?.status, 'unknown');
    assert.equal(results.filter((r) => r.status === 'pass').length, 7);
  });

  it('turns a synchronous throw into unknown too', async () => {
    const checks = fakeChecks(async () => pass('ok'));
    checks[2] = {
      id: 'reachability',
      title: 'sync thrower',
      codes: {},
      run: () => {
        throw new Error('sync boom');
      },
    };
    const results = await runChecks(makeContext(), {}, checks);
    assert.equal(results[2]?.status, 'unknown');
    assert.equal(results.filter((r) => r.status === 'pass').length, 8);
  });

  // The runner bounds it at 2 x 50 + 1000 ms; the test's timeout only keeps a broken bound from hanging.
  it('reports a check that hangs past its bound as unknown', { timeout: 60_000 }, async () => {
    const checks = fakeChecks(async (id) => (id === 'scopes' ? new Promise<Outcome>(() => {}) : pass('ok')));
    const results = await runChecks(makeContext({ plan: { timeoutMs: 50 } }), {}, checks);
    assert.equal(results[8]?.status, 'unknown');
    assert.match(results[8]?.message ?? '', /check scopes/);
    assert.deepEqual(
      results.slice(0, 8).map((r) => r.status),
      Array(8).fill('pass'),
    );
  });

  it('--ignore turns fail into warn with ignored: true, and only for the ignored ids', async () => {
    const checks = fakeChecks(async (id) => (id === 'permissions' || id === 'service' ? fail(`documented ${id}`) : id === 'time' ? warn('close') : pass('ok')));
    const results = await runChecks(makeContext({ plan: { ignore: ['permissions', 'time', 'dns'] } }), {}, checks);
    const byId = new Map(results.map((r) => [r.id, r]));
    assert.equal(byId.get('permissions')?.status, 'warn');
    assert.equal(byId.get('permissions')?.ignored, true);
    assert.equal(byId.get('permissions')?.message, 'documented permissions');
    assert.equal(byId.get('service')?.status, 'fail');
    assert.equal(byId.get('service')?.ignored, undefined);
    assert.equal(byId.get('time')?.status, 'warn');
    assert.equal(byId.get('time')?.ignored, undefined, 'a plain warning is not marked ignored');
    assert.equal(byId.get('dns')?.status, 'pass');
    assert.equal(byId.get('dns')?.ignored, undefined);
  });

  it('reports unselected checks as skip, never runs them, and keeps their place', async () => {
    const ran: CheckId[] = [];
    const checks = fakeChecks(async (id) => {
      ran.push(id);
      return pass('ok');
    });
    const starts: CheckId[][] = [];
    const results = await runChecks(makeContext({ plan: { checks: ['ip', 'time'] } }), { onStart: (ids) => starts.push(ids) }, checks);
    assert.deepEqual(ran.sort(), ['ip', 'time']);
    assert.deepEqual(starts, [['ip', 'time']]);
    assert.deepEqual(
      results.map((r) => r.id),
      [...NINE],
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['skip', 'pass', 'skip', 'skip', 'skip', 'skip', 'skip', 'pass', 'skip'],
    );
  });

  it('uses the nine real checks in documented order by default', () => {
    assert.deepEqual(
      CHECKS.slice(0, 9).map((c) => c.id),
      NINE,
    );
    assert.deepEqual(
      CHECKS.map((c) => c.id),
      [...CHECK_IDS],
      'CHECKS and CHECK_IDS agree',
    );
  });

  it('runs the real checks with a real context and inventory files', async () => {
    const inventory = (name: string) => ({ kind: 'inventory' as const, path: fixturePath(`inventory/${name}`) });
    const plan = makePlan({
      partner: '10.0.0.2',
      localSource: inventory('local.yaml'),
      partnerSource: inventory('partner-bad.yaml'),
      checks: ['dns', 'ip', 'version', 'permissions', 'relationships', 'service', 'scopes'],
      ignore: ['service'],
    });
    const results = await runChecks(createContext(plan, new AbortController().signal));
    assert.deepEqual(
      results.slice(0, 9).map((r) => `${r.id}:${r.status}`),
      ['dns:pass', 'ip:pass', 'reachability:skip', 'version:fail', 'permissions:fail', 'relationships:fail', 'service:warn', 'time:skip', 'scopes:fail'],
    );
    assert.deepEqual(
      results.slice(9).map((r) => r.status),
      CHECK_IDS.slice(9).map(() => 'skip'),
      'checks beyond the nine were not selected',
    );
    assert.equal(results[6]?.ignored, true);
    assert.equal(exitCodeFor(results.map((r) => r.status)), 1);
  });
});
