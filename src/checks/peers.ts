import { pairOf } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Beyond the documented list: on platforms that replicate no configuration, the two servers'
// declarations must describe the same pair. The rule is the platform's.

const o = outcomes('peers', {
  agree: 'pass',
  'not-applicable': 'skip',
  attention: 'warn',
  disagree: 'fail',
  'source-unread': 'unknown',
});

export const peers: Check = {
  id: 'peers',
  title: "The two servers' failover declarations describe the same pair",
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    // A source that was given and failed is a fact asked for and not obtained: unknown, not "not applicable".
    const unread = (['local', 'partner'] as const).filter((r) => (r === 'local' ? ctx.plan.localSource : ctx.plan.partnerSource) && read[r].error);
    if (read.platform.pairing && !read.mixed && unread.length > 0) {
      return o.unknown('source-unread', `the ${unread.join(' and ')} source could not be read`, { details: { causes: unread.map((r) => read[r].error) }, evidence: unread.map((r) => read[r].error!) });
    }
    if (!read.platform.pairing || read.mixed || !read.local.facts || !read.partner.facts) {
      const why = read.mixed ?? (!read.platform.pairing ? "the pair's platform declares nothing on both sides to compare" : 'needs sources for both servers');
      return o.skip('not-applicable', why, { details: {} });
    }
    const v = read.platform.pairing(read.pair);
    if (v.notApplicable) return o.skip('not-applicable', v.notApplicable, { details: { situation: v.situation } });
    const details = { situation: v.situation, ...(v.failures.length > 0 ? { problems: v.failures } : {}), ...(v.warnings.length > 0 ? { warnings: v.warnings } : {}) };
    const fix = v.fixes.join(' ');
    if (v.failures.length > 0) {
      return o.fail('disagree', `The failover configurations do not describe the same pair:\n${[...v.failures, ...v.warnings].map((f) => `  ${f}`).join('\n')}`, { details, fix });
    }
    if (v.warnings.length > 0) return o.warn('attention', v.warnings.join('; '), { details, fix });
    return o.pass('agree', v.summary, { details });
  },
};
