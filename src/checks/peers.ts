import { pairOf, unread } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Beyond the documented list: on platforms that replicate no configuration, the two servers'
// declarations must describe the same pair. The rule is the platform's; pair rules that a
// platform words as findings carry their own codes (the first failing one names the outcome).

const o = outcomes('peers', {
  agree: 'pass',
  'not-applicable': 'skip',
  attention: 'warn',
  disagree: 'fail',
  'source-unread': 'unknown',
  // Pair rules: the platforms word them as findings with these slugs.
  'tls-one-side': 'fail',
  'tls-untrusted': 'fail',
  'hook-path': 'fail',
  'port-collision': 'fail',
  'timers-unsafe': 'fail',
  'ha-not-operating': 'fail',
  'timers-differ': 'warn',
  'listener-mismatch': 'warn',
  'versions-lose-updates': 'warn',
  'ha-transition': 'warn',
  'parameters-differ': 'warn',
  'ha-listener-refused': 'warn',
});

type FailSlug = 'disagree' | 'tls-one-side' | 'tls-untrusted' | 'hook-path' | 'port-collision' | 'timers-unsafe' | 'ha-not-operating';
type WarnSlug = 'attention' | 'timers-differ' | 'listener-mismatch' | 'versions-lose-updates' | 'ha-transition' | 'parameters-differ' | 'ha-listener-refused';

export const peers: Check = {
  id: 'peers',
  title: "The two servers' failover declarations describe the same pair",
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    // A source that was given and failed is a fact asked for and not obtained: unknown, not "not applicable".
    const failed = (['local', 'partner'] as const).filter((r) => (r === 'local' ? ctx.plan.localSource : ctx.plan.partnerSource) && read[r].error);
    if (read.platform.pairing && !read.mixed && failed.length > 0) {
      const { fix } = unread(Object.fromEntries(failed.map((r) => [r, read[r]])));
      return o.unknown('source-unread', `the ${failed.join(' and ')} source could not be read`, {
        details: { causes: failed.map((r) => read[r].error) },
        evidence: failed.map((r) => read[r].error!),
        ...(fix ? { fix } : {}),
      });
    }
    if (!read.platform.pairing || read.mixed || !read.local.facts || !read.partner.facts) {
      const why = read.mixed ?? (!read.platform.pairing ? "the pair's platform declares nothing on both sides to compare" : 'needs sources for both servers');
      return o.skip('not-applicable', why, { details: {} });
    }
    const v = await read.platform.pairing(read.pair);
    if (v.notApplicable) return o.skip('not-applicable', v.notApplicable, { details: { situation: v.situation } });
    const findings = v.findings ?? [];
    const failing = findings.filter((f) => f.level === 'fail');
    const warning = findings.filter((f) => f.level === 'warn');
    const failures = [...v.failures, ...failing.map((f) => f.text)];
    const warnings = [...v.warnings, ...warning.map((f) => f.text)];
    const rules = findings.map((f) => ({ code: `peers.${f.code}`, level: f.level, text: f.text, evidence: f.evidence, source: f.source }));
    const details = {
      situation: v.situation,
      ...(failures.length > 0 ? { problems: failures } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(rules.length > 0 ? { rules } : {}),
    };
    const evidence = findings.flatMap((f) => f.evidence);
    const fix = [...new Set([...v.fixes, ...findings.map((f) => f.fix)])].join(' ');
    const extra = { details, fix, ...(evidence.length > 0 ? { evidence } : {}) };
    if (failures.length > 0) {
      const slug = (v.failures.length > 0 ? 'disagree' : failing[0]!.code) as FailSlug;
      return o.fail(slug, `The failover configurations do not describe the same pair:\n${[...failures, ...warnings].map((f) => `  ${f}`).join('\n')}`, extra);
    }
    if (warnings.length > 0) {
      const slug = (v.warnings.length > 0 ? 'attention' : warning[0]!.code) as WarnSlug;
      return o.warn(slug, warnings.join('; '), extra);
    }
    return o.pass('agree', v.summary, { details });
  },
};
