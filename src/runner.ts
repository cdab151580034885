import { CHECKS } from './checks/index.js';
import type { CheckId } from './checks/ids.js';
import type { Check, Outcome } from './checks/types.js';
import type { Context } from './context.js';
import type { CheckResult } from './report/types.js';
import { errorText } from './util/errors.js';
import { monotonicMs } from './util/elapsed.js';
import { sharedBound, type SharedBound } from './util/bounded.js';
import { pairOf } from './checks/facts-of.js';

export interface RunHooks {
  onStart?(ids: CheckId[]): void;
  onDone?(result: CheckResult): void;
}

/**
 * Starts every selected check at once and returns results in documented order. A check that
 * throws, hangs past its bound or is interrupted becomes `unknown`; it never takes the run down.
 */
export async function runChecks(ctx: Context, hooks: RunHooks = {}, checks: readonly Check[] = CHECKS): Promise<CheckResult[]> {
  const { plan } = ctx;
  const selected = checks.filter((c) => plan.checks.includes(c.id));
  hooks.onStart?.(selected.map((c) => c.id));
  // A check may chain a lookup and a probe; the bound is a safety net above the probes' own.
  // One timer and one abort listener for all of them: they start together under the same bound.
  const deadline = sharedBound(plan.timeoutMs * 2 + 1000, ctx.signal);
  try {
    return await Promise.all(checks.map((check) => runOne(ctx, check, deadline, hooks)));
  } finally {
    deadline.clear();
  }
}

async function runOne(ctx: Context, check: Check, deadline: SharedBound, hooks: RunHooks): Promise<CheckResult> {
  const { plan } = ctx;
  if (!plan.checks.includes(check.id)) {
    return {
      id: check.id,
      title: check.title,
      status: 'skip',
      code: `${check.id}.not-selected`,
      message: 'not selected (--only / --skip)',
      details: {},
      durationMs: 0,
    };
  }
  const started = monotonicMs();
  let outcome: Outcome;
  try {
    outcome = await deadline.race(check.run(ctx), `check ${check.id}`);
  } catch (err) {
    outcome = {
      status: 'unknown',
      code: `${check.id}.undetermined`,
      message: `could not be determined: ${errorText(err)}`,
      details: { error: errorText(err) },
    };
  }
  if (outcome.status === 'fail') outcome = await withNativeError(ctx, outcome, deadline);
  const result: CheckResult = { id: check.id, title: check.title, ...outcome, durationMs: Math.round(monotonicMs() - started) };
  // --ignore: a failure or an undetermined check is reported, but does not decide the exit code.
  if ((result.status === 'fail' || result.status === 'unknown') && plan.ignore.includes(check.id)) {
    result.status = 'warn';
    result.ignored = true;
  }
  hooks.onDone?.(result);
  return result;
}

/** A failure as the pair's platform numbers it (Windows: the Win32 error), in details. */
async function withNativeError(ctx: Context, outcome: Outcome, deadline: SharedBound): Promise<Outcome> {
  try {
    // Memoised by the context: only a check that never read the facts (dns) waits for them here,
    // and within the checks' own bound.
    const { platform } = await deadline.race(pairOf(ctx), 'platform of the pair');
    const native = platform.nativeError?.(outcome.code, outcome.message);
    if (!native) return outcome;
    return {
      ...outcome,
      details: { ...outcome.details, [native.key]: { code: native.code, name: native.name } },
      ...(outcome.evidence ? { evidence: [...outcome.evidence, native.said] } : {}),
    };
    // Without evidence of its own the check's details are shown, windowsError among them.
  } catch {
    return outcome;
  }
}
