import { factsOf, sourceNotes } from './facts-of.js';
import { messages } from './messages.js';
import { fail, pass, unknown, type Check } from './types.js';

export const service: Check = {
  id: 'service',
  title: 'DHCP service running on the partner',
  async run(ctx) {
    const partner = await factsOf(ctx, 'partner');
    const status = partner.facts?.service;
    if (!status) {
      return unknown('the state of the partner\'s DHCP service is not known', {
        details: { cause: partner.error ?? `${partner.facts!.source} does not tell the service state`, ...sourceNotes(partner) },
      });
    }
    const details = { state: status.raw, source: partner.facts!.source };
    if (status.state === 'running') return pass('the DHCP service is running', { details });
    // The document allows a paused service: failover can be configured, it just serves no clients.
    if (status.state === 'paused') return pass('the DHCP service is paused (allowed; it serves no clients until resumed)', { details });
    return fail(messages.service(), { details, fix: 'Start the DHCP Server service on the partner (Start-Service DHCPServer).' });
  },
};
