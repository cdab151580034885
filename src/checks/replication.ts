import { formatIPv4 } from '../net/ipv4.js';
import { pairDetails, pairOf, unreadEvidence } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Beyond the documented list: failover replicates the shared scopes with their option values and
// policies, but not the server-level definitions they use. The platform says what must exist.

const o = outcomes('replication', {
  consistent: 'pass',
  'not-applicable': 'skip',
  'missing-on-partner': 'fail',
  // As static-address and authorization: a source that does not list the facts skips the check.
  'not-known': 'skip',
});

export const replication: Check = {
  id: 'replication',
  title: 'What the shared scopes use exists on the partner',
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    if (read.mixed) return o.skip('not-applicable', read.mixed, { details: {} });
    if (!read.platform.replication)
      return o.skip('not-applicable', "the pair's platform replicates no configuration that depends on server-level definitions", { details: {} });
    const requested = ctx.plan.scopes?.map((s) => formatIPv4(s.network));
    const shared = requested ?? (read.local.facts?.scopes ?? []).map((s) => formatIPv4(s.network));
    const v = read.platform.replication(read.pair, shared);
    const details = pairDetails(read, v.details);
    switch (v.kind) {
      case 'not-applicable':
        return o.skip('not-applicable', v.summary, { details });
      case 'unknown':
        // A source given and failed (or refused) is named, with its fix, before the platform's advice.
        return o.skip('not-known', v.summary, { details, ...unreadEvidence(read, v.fix) });
      case 'missing':
        return o.fail('missing-on-partner', `${v.summary}\n${v.problems.map((p) => `  ${p}`).join('\n')}`, {
          details,
          evidence: v.evidence,
          ...(v.fix ? { fix: v.fix } : {}),
        });
      case 'consistent':
        return o.pass('consistent', v.summary, { details, evidence: v.evidence });
    }
  },
};
