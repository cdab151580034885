import { icmpEcho } from '../probes/icmp.js';
import { tcpConnect } from '../probes/tcp.js';
import { errorText, ProbeError } from '../util/errors.js';
import { messages } from './messages.js';
import { fail, pass, unknown, warn, type Check } from './types.js';

const FIREWALL_RULE = 'Microsoft-Windows-DHCP-Failover-TCP-In';

export const reachability: Check = {
  id: 'reachability',
  title: 'Network connection to the partner',
  async run(ctx) {
    const p = await ctx.partner();
    if (!p.address) return unknown('no partner address to probe', { details: { input: p.input } });
    const port = ctx.plan.failoverPort;
    const [icmp, tcp] = await Promise.allSettled([
      icmpEcho(p.address, ctx.plan.timeoutMs, ctx.signal),
      tcpConnect(p.address, port, ctx.plan.timeoutMs, ctx.signal),
    ]);
    const details = {
      address: p.address,
      icmp: icmp.status === 'fulfilled' ? `echo reply in ${icmp.value.rttMs} ms` : errorText(icmp.reason),
      tcp: tcp.status === 'fulfilled' ? `port ${port} accepted in ${tcp.value.connectMs.toFixed(1)} ms` : errorText(tcp.reason),
    };
    if (tcp.status === 'fulfilled') return pass(`TCP port ${port} answers`, { details });
    const refused = tcp.reason instanceof ProbeError && tcp.reason.code === 'ECONNREFUSED';
    if (icmp.status === 'fulfilled' || refused) {
      return warn(`${p.address} answers, but TCP port ${port} (failover) does not accept connections`, {
        details,
        fix: `Allow TCP ${port} from this server on the partner (Windows firewall rule "${FIREWALL_RULE}"), and check that the DHCP service listens.`,
      });
    }
    return fail(messages.reachability(), {
      details,
      fix: `Check routing and firewalls between the servers: ICMP echo and TCP ${port} (rule "${FIREWALL_RULE}") must pass.`,
    });
  },
};
