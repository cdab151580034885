import type { ClockReading, Context } from '../context.js';
import { errorText } from '../util/errors.js';
import { factsOf } from './facts-of.js';
import { messages, minutesText } from './messages.js';
import { fail, pass, unknown, warn, type Check } from './types.js';

/** The permissible difference: the smallest of --max-time-skew and each server's own setting. */
export async function skewLimit(ctx: Context): Promise<{ seconds: number; from: string }> {
  let limit = { seconds: ctx.plan.maxTimeSkewSeconds, from: '--max-time-skew' };
  for (const role of ['local', 'partner'] as const) {
    const own = (await factsOf(ctx, role)).facts?.maxClockSkewSeconds;
    if (own !== undefined && own < limit.seconds) limit = { seconds: own, from: `${role} server setting` };
  }
  return limit;
}

/** Kea's HA hook warns about clock skew above 30 s (and stops HA above 60 s). */
const KEA_WARNS_AT_MS = 30_000;

const round = (ms: number) => Math.round(ms * 10) / 10;

function describe(r: ClockReading) {
  return { source: r.source, offsetMs: round(r.offsetMs), delayMs: round(r.delayMs), errorMs: round(r.errorMs), stratum: r.stratum };
}

export const time: Check = {
  id: 'time',
  title: 'Clocks agree within the permissible difference',
  async run(ctx) {
    const [limit, local, partner] = await Promise.all([
      skewLimit(ctx),
      ctx.clock('local').then((r) => ({ r }), (e: unknown) => ({ error: errorText(e) })),
      ctx.clock('partner').then((r) => ({ r }), (e: unknown) => ({ error: errorText(e) })),
    ]);
    if (!('r' in local) || !('r' in partner)) {
      return unknown('a clock could not be read', {
        details: { local: 'r' in local ? describe(local.r) : local.error, partner: 'r' in partner ? describe(partner.r) : partner.error },
        fix: 'Make NTP (UDP 123) on the servers reachable, or point --local-ntp / --partner-ntp at their time sources.',
      });
    }
    const differenceMs = partner.r.offsetMs - local.r.offsetMs;
    const errorMs = partner.r.errorMs + local.r.errorMs;
    const details = {
      differenceMs: round(differenceMs),
      errorBoundMs: round(errorMs),
      limitSeconds: limit.seconds,
      limitFrom: limit.from,
      local: describe(local.r),
      partner: describe(partner.r),
    };
    const limitMs = limit.seconds * 1000;
    const seconds = (differenceMs / 1000).toFixed(3);
    if (Math.abs(differenceMs) - errorMs > limitMs) {
      return fail(messages.time(minutesText(limit.seconds)), {
        details,
        fix: 'Synchronise both servers with the same NTP source (w32tm /resync on Windows, chrony or ntpsec on Linux).',
      });
    }
    if (Math.abs(differenceMs) + errorMs > limitMs) {
      return warn(`the clocks are ${seconds} s apart ± ${(errorMs / 1000).toFixed(3)} s: too close to the ${limit.seconds} s limit to be sure`, { details });
    }
    const kea = await Promise.all([factsOf(ctx, 'local'), factsOf(ctx, 'partner')]).then((r) => r.some((f) => f.facts?.platform === 'kea'));
    if (kea && Math.abs(differenceMs) > KEA_WARNS_AT_MS) {
      return warn(`the clocks are ${seconds} s apart: Kea HA logs warnings above 30 s and terminates HA above 60 s`, {
        details,
        fix: 'Synchronise both servers with the same NTP source before enabling HA.',
      });
    }
    return pass(`the clocks are ${seconds} s apart (limit ${limit.seconds} s)`, { details });
  },
};
