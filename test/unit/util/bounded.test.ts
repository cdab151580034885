import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { bounded, sharedBound, type Settle } from '../../../src/util/bounded.js';
import { ProbeError } from '../../../src/util/errors.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

function rejectsWith(promise: Promise<unknown>, message: string, code: string): Promise<void> {
  return assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProbeError, `expected ProbeError, got ${String(err)}`);
    assert.equal(err.message, message);
    assert.equal(err.code, code);
    return true;
  });
}

describe('bounded', () => {
  it('settles once: the first outcome wins, the cleanup runs once', async () => {
    let cleanups = 0;
    let settle!: Settle<number>;
    const result = bounded<number>({ label: 'op', timeoutMs: 10_000 }, (s, onCleanup) => {
      settle = s;
      onCleanup(() => cleanups++);
      s.resolve(1);
      s.resolve(2);
      s.reject(new Error('late'));
    });
    assert.equal(await result, 1);
    assert.equal(settle.settled, true);
    settle.reject(new Error('later still'));
    assert.equal(cleanups, 1);
  });

  it('clears its timer and removes its abort listener once settled', async () => {
    const controller = new AbortController();
    const before = timers();
    const result = bounded<string>({ label: 'op', timeoutMs: 60_000, signal: controller.signal }, (settle) => {
      assert.equal(listeners(controller.signal), 1, 'listening while it runs');
      setImmediate(() => settle.resolve('done'));
    });
    assert.equal(timers(), before + 1, 'the deadline timer is armed');
    assert.equal(await result, 'done');
    assert.equal(timers(), before, 'the deadline timer is gone');
    assert.equal(listeners(controller.signal), 0);
  });

  it('rejects with a timeout ProbeError naming the label and the time, and cleans up', async () => {
    const controller = new AbortController();
    let cleanups = 0;
    const result = bounded<never>({ label: 'TCP 10.0.0.1:647', timeoutMs: 20, signal: controller.signal }, (_settle, onCleanup) => {
      onCleanup(() => cleanups++);
    });
    await rejectsWith(result, 'TCP 10.0.0.1:647: no answer within 20 ms', 'timeout');
    assert.equal(cleanups, 1);
    assert.equal(listeners(controller.signal), 0);
  });

  it('an already aborted signal rejects at once, without starting', async () => {
    const controller = new AbortController();
    controller.abort();
    let started = false;
    const before = timers();
    const result = bounded({ label: 'op', timeoutMs: 10_000, signal: controller.signal }, () => {
      started = true;
    });
    await rejectsWith(result, 'op: interrupted', 'aborted');
    assert.equal(started, false);
    assert.equal(timers(), before, 'no timer armed');
    assert.equal(listeners(controller.signal), 0);
  });

  it('an abort while it runs rejects, cleans up once and removes the listener', async () => {
    const controller = new AbortController();
    let cleanups = 0;
    const result = bounded({ label: 'op', timeoutMs: 10_000, signal: controller.signal }, (_settle, onCleanup) => {
      onCleanup(() => cleanups++);
    });
    controller.abort();
    controller.abort();
    await rejectsWith(result, 'op: interrupted', 'aborted');
    assert.equal(cleanups, 1);
    assert.equal(listeners(controller.signal), 0);
  });

  it('uses the errors the caller builds, at the moment the bound is hit', async () => {
    let stage = 'connect';
    const bound = { label: 'x', timeoutMs: 20, timeoutError: () => new ProbeError(`waiting for ${stage}`, 'timeout') };
    const result = bounded(bound, () => {
      stage = 'the reply';
    });
    await rejectsWith(result, 'waiting for the reply', 'timeout');
    const controller = new AbortController();
    const aborted = bounded({ label: 'x', timeoutMs: 10_000, signal: controller.signal, abortError: () => new ProbeError('x: aborted', 'aborted') }, () =>
      controller.abort(),
    );
    await rejectsWith(aborted, 'x: aborted', 'aborted');
  });

  it('settles only after an asynchronous cleanup has finished', async () => {
    const order: string[] = [];
    const result = bounded<string>({ label: 'op', timeoutMs: 10_000 }, (settle, onCleanup) => {
      onCleanup(() => new Promise<void>((closed) => setTimeout(() => (order.push('closed'), closed()), 10)));
      settle.resolve('value');
    });
    order.push(await result);
    assert.deepEqual(order, ['closed', 'value']);
  });

  it('a cleanup that throws or rejects does not hide the outcome', async () => {
    const result = bounded<number>({ label: 'op', timeoutMs: 10_000 }, (settle, onCleanup) => {
      onCleanup(() => {
        throw new Error('cleanup failed');
      });
      onCleanup(() => Promise.reject(new Error('cleanup failed later')));
      settle.resolve(7);
    });
    assert.equal(await result, 7);
  });

  it('a start that throws rejects with that error and still cleans up', async () => {
    let cleanups = 0;
    const result = bounded({ label: 'op', timeoutMs: 10_000 }, (_settle, onCleanup) => {
      onCleanup(() => cleanups++);
      throw new RangeError('bad port');
    });
    await assert.rejects(result, RangeError);
    assert.equal(cleanups, 1);
  });

  it('a cleanup registered after the outcome runs at once', async () => {
    let late = 0;
    let register!: (fn: () => void) => void;
    const result = bounded<number>({ label: 'op', timeoutMs: 10_000 }, (settle, onCleanup) => {
      register = onCleanup;
      settle.resolve(1);
    });
    await result;
    register(() => late++);
    assert.equal(late, 1);
  });
});

describe('sharedBound', () => {
  it('holds one timer and one abort listener however many operations race, and none once cleared', async () => {
    const controller = new AbortController();
    const before = timers();
    const deadline = sharedBound(60_000, controller.signal);
    const results = Promise.all([1, 2, 3, 4, 5].map((n) => deadline.race(Promise.resolve(n), `op ${n}`)));
    assert.equal(timers() - before, 1);
    assert.equal(listeners(controller.signal), 1);
    assert.deepEqual(await results, [1, 2, 3, 4, 5]);
    deadline.clear();
    assert.equal(timers() - before, 0);
    assert.equal(listeners(controller.signal), 0);
  });

  it('rejects every unfinished operation with its own label once the bound is up', async () => {
    const deadline = sharedBound(30);
    const never = new Promise<number>(() => {});
    const fast = deadline.race(Promise.resolve('done'), 'fast');
    await Promise.all([
      rejectsWith(deadline.race(never, 'check scopes'), 'check scopes: no answer within 30 ms', 'timeout'),
      rejectsWith(deadline.race(never, 'check time'), 'check time: no answer within 30 ms', 'timeout'),
    ]);
    assert.equal(await fast, 'done');
    deadline.clear();
  });

  it('counts the bound from its creation: an operation raced after it is up fails at once', async () => {
    const deadline = sharedBound(20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    // Decided within the same turn: before the next setImmediate, with no timer of its own.
    const first = await Promise.race([
      deadline.race(new Promise(() => {}), 'late').catch((err: unknown) => err),
      new Promise((resolve) => setImmediate(() => resolve('still waiting'))),
    ]);
    assert.ok(first instanceof ProbeError, String(first));
    assert.equal(first.message, 'late: no answer within 20 ms');
    deadline.clear();
  });

  it('says interrupted when the signal fires, or has fired before the race', async () => {
    const controller = new AbortController();
    const deadline = sharedBound(60_000, controller.signal);
    const pending = deadline.race(new Promise(() => {}), 'check dns');
    controller.abort();
    await rejectsWith(pending, 'check dns: interrupted', 'aborted');
    await rejectsWith(deadline.race(Promise.resolve(1), 'check ip'), 'check ip: interrupted', 'aborted');
    deadline.clear();
  });

  it("passes an operation's own rejection through unchanged", async () => {
    const deadline = sharedBound(60_000);
    const boom = new Error('boom');
    await assert.rejects(deadline.race(Promise.reject(boom), 'op'), (err) => err === boom);
    deadline.clear();
  });
});
