import { CHECKS } from './checks/index.js';
import type { CheckId } from './checks/ids.js';
import type { Check, Outcome } from './checks/types.js';
import type { Context } from './context.js';
import type { CheckResult } from './report/types.js';
import { errorText } from './util/errors.js';
import { monotonicMs } from './util/elapsed.js';
import { withDeadline } from './util/deadline.js';
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
  const bound = plan.timeoutMs * 2 + 1000;
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
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
        outcome = await withDeadline(check.run(ctx), bound, `check ${check.id}`, ctx.signal);
      } catch (err) {
        outcome = {
          status: 'unknown',
          code: `${check.id}.undetermined`,
          message: `could not be determined: ${errorText(err)}`,
          details: { error: errorText(err) },
        };
      }
      if (outcome.status === 'fail') outcome = await withNativeError(ctx, outcome);
      const result: CheckResult = { id: check.id, title: check.title, ...outcome, durationMs: Math.round(monotonicMs() - started) };
      // --ignore: a failure or an undetermined check is reported, but does not decide the exit code.
      if ((result.status === 'fail' || result.status === 'unknown') && plan.ignore.includes(check.id)) {
        result.status = 'warn';
        result.ignored = true;
      }
      hooks.onDone?.(result);
      return result;
    }),
  );
}

/** A failure as the pair's platform numbers it (Windows: the Win32 error), in details. */
async function withNativeError(ctx: Context, outcome: Outcome): Promise<Outcome> {
  try {
    // Memoised by the context: only a check that never read the facts (dns) waits for them here.
    const { platform } = await withDeadline(pairOf(ctx), ctx.plan.timeoutMs, 'platform of the pair', ctx.signal);
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
