import type { ClockReading, Context } from '../context.js';
import { platformOf } from '../platforms/index.js';
import { errorText } from '../util/errors.js';
import { pairOf, type PairRead } from './facts-of.js';
import { messages, minutesText } from './messages.js';
import { outcomes, type Check } from './types.js';
import { phaseOf } from './phase.js';

const o = outcomes('time', {
  'in-sync': 'pass',
  'near-limit': 'warn',
  'platform-warns': 'warn',
  'skew-exceeded': 'fail',
  'clock-unread': 'unknown',
  'before-deploy': 'skip',
});

/**
 * The permissible difference: limits only tighten. The smallest of --max-time-skew (given or its
 * 1-minute default), each server's own setting (DhcpMsgSyncDeltaTime) and what each server's
 * platform itself tolerates (its documented default where the server sets none). `said` is the
 * evidence's wording.
 */
export function skewLimit(ctx: Context, read: PairRead): { seconds: number; from: string; said: string } {
  const flag = ctx.plan.maxTimeSkewGiven !== undefined ? `--max-time-skew ${ctx.plan.maxTimeSkewGiven}` : '--max-time-skew 1m (its default)';
  let limit = { seconds: ctx.plan.maxTimeSkewSeconds, from: '--max-time-skew', said: '' };
  const lower = (seconds: number, from: string, said: string) => {
    if (seconds < limit.seconds) limit = { seconds, from, said };
  };
  for (const role of ['local', 'partner'] as const) {
    const facts = read[role].facts;
    const own = facts?.maxClockSkewSeconds;
    if (own !== undefined) lower(own, `${role} server setting`, `the ${role} server's own setting`);
    const platform = facts ? platformOf(facts.platform).clockLimit(facts) : undefined;
    if (platform) lower(platform.seconds, `${role} server: ${platform.from}`, platform.from);
  }
  // Where no server's facts were read, the pair's platform still has its own limit.
  const pairLimit = read.local.facts || read.partner.facts ? undefined : read.platform.clockLimit(undefined);
  if (pairLimit) lower(pairLimit.seconds, `pair: ${pairLimit.from}`, pairLimit.from);
  return { ...limit, said: limit.said === '' ? `limit ${limit.seconds} s (${flag})` : `limit ${limit.seconds} s: ${limit.said}, lower than ${flag}` };
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
      ctx.clock('local').then(
        (r) => ({ r }),
        (e: unknown) => ({ error: errorText(e) }),
      ),
      ctx.clock('partner').then(
        (r) => ({ r }),
        (e: unknown) => ({ error: errorText(e) }),
      ),
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
      const evidence = (['local', 'partner'] as const).flatMap((role) => {
        const r = role === 'local' ? local : partner;
        return 'error' in r ? [`${role}: ${r.error}`] : [];
      });
      const phase = phaseOf(ctx, read);
      if (phase.pair === 'before-deploy' && !phase.given) {
        return o.skip('before-deploy', 'before deploy: the clocks will be compared once the servers run', { details: clocks, evidence });
      }
      // SMB2 is advised only where the pair's platform answers it (or nothing shows the platform).
      const smb = read.platform.smbClockPort !== undefined || read.directoryMayTell;
      return o.unknown('clock-unread', 'a clock could not be read', {
        details: clocks,
        evidence,
        fix: smb
          ? 'Make NTP (UDP 123) or SMB2 (TCP 445) on the servers reachable, or point --local-ntp / --partner-ntp (or --local-smb / --partner-smb) at them.'
          : 'Make NTP (UDP 123) on the servers reachable, or point --local-ntp / --partner-ntp at them.',
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
    const ahead = `the partner is ${(Math.abs(differenceMs) / 1000).toFixed(1)} s ${differenceMs >= 0 ? 'ahead' : 'behind'} ± ${(errorMs / 1000).toFixed(3)} s, ${limit.said}`;
    const evidence = [
      ahead,
      ...(['local', 'partner'] as const).flatMap((role) => {
        const r = role === 'local' ? local : partner;
        return 'r' in r && r.r.source !== 'this machine' ? [`${role} clock read by ${r.r.source}`] : [];
      }),
    ];
    const seconds = (differenceMs / 1000).toFixed(3);
    if (Math.abs(differenceMs) - errorMs > limitMs) {
      return o.fail('skew-exceeded', messages.time(minutesText(limit.seconds)), { details, evidence, fix: read.platform.fixes.time });
    }
    if (Math.abs(differenceMs) + errorMs > limitMs) {
      return o.warn(
        'near-limit',
        `the clocks are ${seconds} s apart ± ${(errorMs / 1000).toFixed(3)} s: too close to the ${limit.seconds} s limit to be sure`,
        { details, evidence },
      );
    }
    const advice = read.platform.clockAdvice;
    if (advice && Math.abs(differenceMs) > advice.warnAboveSeconds * 1000) {
      return o.warn('platform-warns', `the clocks are ${seconds} s apart: ${advice.text}`, { details, evidence, fix: advice.fix });
    }
    return o.pass('in-sync', `the clocks are ${seconds} s apart (limit ${limit.seconds} s)`, {
      details,
      evidence: limit.from === '--max-time-skew' ? evidence.slice(1) : [limit.said, ...evidence.slice(1)],
    });
  },
};
