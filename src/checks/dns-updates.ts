import { pairDetails, pairOf, unreadEvidence } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Beyond the documented list: after a failover, either server must be able to update the DNS
// records the other registered for its clients. The platform says whether they can.

const o = outcomes('dns-updates', {
  'same-credential': 'pass',
  'no-updates': 'pass',
  'not-applicable': 'skip',
  'different-credentials': 'warn',
  // As static-address and authorization: a source that does not list the facts skips the check.
  'not-known': 'skip',
});

export const dnsUpdates: Check = {
  id: 'dns-updates',
  title: 'Each server can update the DNS records the other registers',
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    if (read.mixed) return o.skip('not-applicable', read.mixed, { details: {} });
    if (!read.platform.dnsUpdates)
      return o.skip('not-applicable', "the pair's platform registers no DNS records with a credential of its own", { details: {} });
    const v = read.platform.dnsUpdates(read.pair);
    const details = pairDetails(read, v.details);
    switch (v.kind) {
      case 'not-applicable':
        return o.skip('not-applicable', v.summary, { details });
      case 'unknown':
        // A source given and failed (or refused) is named, with its fix, before the platform's advice.
        return o.skip('not-known', v.summary, { details, ...unreadEvidence(read, v.fix) });
      case 'different':
        return o.warn('different-credentials', v.summary, { details, evidence: v.evidence, ...(v.fix ? { fix: v.fix } : {}) });
      case 'no-updates':
        return o.pass('no-updates', v.summary, { details, evidence: v.evidence });
      case 'same-credential':
        return o.pass('same-credential', v.summary, { details, evidence: v.evidence });
    }
  },
};
