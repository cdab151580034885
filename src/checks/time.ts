import type { ClockReading, Context } from '../context.js';
import { platformOf } from '../platforms/index.js';
import { errorText } from '../util/errors.js';
import { pairOf, type PairRead } from './facts-of.js';
import { messages, minutesText } from './messages.js';
import { outcomes, type Check } from './types.js';

const o = outcomes('time', {
  'in-sync': 'pass',
  'near-limit': 'warn',
  'platform-warns': 'warn',
  'skew-exceeded': 'fail',
  'clock-unread': 'unknown',
});

/**
 * The permissible difference: the smallest of --max-time-skew, each server's own setting
 * (e.g. DhcpMsgSyncDeltaTime) and what each server's platform itself tolerates.
 */
export function skewLimit(ctx: Context, read: PairRead): { seconds: number; from: string } {
  let limit = { seconds: ctx.plan.maxTimeSkewSeconds, from: '--max-time-skew' };
  for (const role of ['local', 'partner'] as const) {
    const facts = read[role].facts;
    const own = facts?.maxClockSkewSeconds;
    if (own !== undefined && own < limit.seconds) limit = { seconds: own, from: `${role} server setting` };
    const platform = facts ? platformOf(facts.platform).clockLimit(facts) : undefined;
    if (platform && platform.seconds < limit.seconds) limit = { seconds: platform.seconds, from: `${role} server: ${platform.from}` };
  }
  return limit;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function describe(r: ClockReading) {
  return { source: r.source, offsetMs: round(r.offsetMs), delayMs: round(r.delayMs), errorMs: round(r.errorMs), stratum: r.stratum };
}

export const time: Check = {
  id: 'time',
  title: 'Clocks agree within the permissible difference',
  codes: o.codes,
  async run(ctx) {
    const [read, local, partner] = await Promise.all([
      pairOf(ctx),
      ctx.clock('local').then((r) => ({ r }), (e: unknown) => ({ error: errorText(e) })),
      ctx.clock('partner').then((r) => ({ r }), (e: unknown) => ({ error: errorText(e) })),
    ]);
    const clocks = { local: 'r' in local ? describe(local.r) : local.error, partner: 'r' in partner ? describe(partner.r) : partner.error };
    // Readings of each clock against ours, or the servers' own measure between them: the one
    // with the smaller error bound decides.
    const candidates = [
      ...('r' in local && 'r' in partner
        ? [{ differenceMs: partner.r.offsetMs - local.r.offsetMs, errorMs: partner.r.errorMs + local.r.errorMs, source: 'the two clock readings' }]
        : []),
      ...[read.platform.pairClock?.(read.pair)].filter((c) => c !== undefined),
    ].sort((a, b) => a.errorMs - b.errorMs);
    const best = candidates[0];
    if (!best) {
      return o.unknown('clock-unread', 'a clock could not be read', {
        details: clocks,
        evidence: (['local', 'partner'] as const).flatMap((role) => { const r = role === 'local' ? local : partner; return 'error' in r ? [`${role}: ${r.error}`] : []; }),
        fix: 'Make NTP (UDP 123) or SMB2 (TCP 445) on the servers reachable, or point --local-ntp / --partner-ntp (or --local-smb / --partner-smb) at them.',
      });
    }
    const limit = skewLimit(ctx, read);
    const { differenceMs, errorMs } = best;
    const details = {
      differenceMs: round(differenceMs),
      errorBoundMs: round(errorMs),
      limitSeconds: limit.seconds,
      limitFrom: limit.from,
      measuredBy: best.source,
      ...clocks,
    };
    const limitMs = limit.seconds * 1000;
    const ahead = `the partner is ${(Math.abs(differenceMs) / 1000).toFixed(1)} s ${differenceMs >= 0 ? 'ahead' : 'behind'} ± ${(errorMs / 1000).toFixed(3)} s, limit ${limit.seconds} s (${limit.from})`;
    const evidence = [ahead, ...(['local', 'partner'] as const).flatMap((role) => { const r = role === 'local' ? local : partner; return 'r' in r && r.r.source !== 'this machine' ? [`${role} clock read by ${r.r.source}`] : []; })];
    const seconds = (differenceMs / 1000).toFixed(3);
    if (Math.abs(differenceMs) - errorMs > limitMs) {
      return o.fail('skew-exceeded', messages.time(minutesText(limit.seconds)), { details, evidence, fix: read.platform.fixes.time });
    }
    if (Math.abs(differenceMs) + errorMs > limitMs) {
      return o.warn('near-limit', `the clocks are ${seconds} s apart ± ${(errorMs / 1000).toFixed(3)} s: too close to the ${limit.seconds} s limit to be sure`, { details, evidence });
    }
    const advice = read.platform.clockAdvice;
    if (advice && Math.abs(differenceMs) > advice.warnAboveSeconds * 1000) {
      return o.warn('platform-warns', `the clocks are ${seconds} s apart: ${advice.text}`, { details, evidence, fix: advice.fix });
    }
    return o.pass('in-sync', `the clocks are ${seconds} s apart (limit ${limit.seconds} s)`, { details, evidence: evidence.slice(1) });
  },
};
