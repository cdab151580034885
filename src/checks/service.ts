import { pairOf, sourceNotes, unread } from './facts-of.js';
import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';
import { liveInsisted, phaseOf } from './phase.js';

const o = outcomes('service', { running: 'pass', paused: 'pass', 'not-running': 'fail', 'state-unknown': 'unknown', 'before-deploy': 'skip' });

export const service: Check = {
  id: 'service',
  title: 'DHCP service running on the partner',
  codes: o.codes,
  async run(ctx) {
    const read = await pairOf(ctx);
    const { partner, platform } = read;
    const phase = phaseOf(ctx, read);
    const status = partner.facts?.service;
    // Before deploy a stopped (or silent) server is expected: it is started once deployed.
    if (phase.partner === 'before-deploy' && !phase.given && status?.state !== 'running' && status?.state !== 'paused') {
      return o.skip('before-deploy', "before deploy: the partner's DHCP service will be checked once it runs", {
        details: { source: partner.facts?.source ?? partner.error, ...(status ? { state: status.raw } : {}), ...sourceNotes(partner) },
      });
    }
    if (!status) {
      const insisted = liveInsisted(ctx, read, 'partner');
      const why = unread({ partner });
      return o.unknown('state-unknown', "the state of the partner's DHCP service is not known", {
        details: {
          cause: insisted ?? (why.causes.join('; ') || partner.error) ?? `${partner.facts!.source} does not tell the service state`,
          ...sourceNotes(partner),
        },
        ...(why.fix && !insisted ? { fix: why.fix } : {}),
      });
    }
    const details = { state: status.raw, source: partner.facts!.source };
    if (status.state === 'running') return o.pass('running', 'the DHCP service is running', { details });
    // The document allows a paused service: failover can be configured, it just serves no clients.
    if (status.state === 'paused') return o.pass('paused', 'the DHCP service is paused (allowed; it serves no clients until resumed)', { details });
    return o.fail('not-running', messages.service(), {
      details,
      evidence: [`the service is ${status.raw} (${partner.facts!.source})`],
      fix: platform.fixes.service,
    });
  },
};
