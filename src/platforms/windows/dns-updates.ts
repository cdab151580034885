import type { ServerFacts } from '../../facts.js';
import type { DnsUpdatesVerdict, Pair } from '../types.js';

// Records one DHCP server registers in DNS on its clients' behalf are owned by the account it
// registers with. After a failover the partner must update or delete them: with secure dynamic
// updates it can only when both servers register with the same credential
// (Set-DhcpServerDnsCredential), or when both are members of DnsUpdateProxy, whose records carry
// no owner. Read from the collector's DnsCredential (user and domain only) and DnsSetting.

export const DNS_REASON =
  'Records one server registers in DNS can be updated by its partner only when both register with the same dynamic-update credential (or both servers are in DnsUpdateProxy): otherwise, after a failover, the partner cannot update or delete the records the other created.';

const FIX =
  'Set the same credential on both servers: Set-DhcpServerDnsCredential -ComputerName <server> -Credential <domain\\user> (a dedicated account with no other rights), or add both servers to the DnsUpdateProxy group.';

const credentialText = (c: { user: string; domain?: string } | null) => (c ? `${c.domain ? `${c.domain}\\` : ''}${c.user}` : 'none (the computer account)');
const registers = (f: ServerFacts) => f.windows?.dnsDynamicUpdates === undefined || f.windows.dnsDynamicUpdates.toLowerCase() !== 'never';

export function judgeDnsUpdates(pair: Pair): DnsUpdatesVerdict {
  const { local, partner } = pair;
  const base = { problems: [] as string[], evidence: [] as string[], details: {} };
  if (!local || !partner) return { kind: 'unknown', summary: 'needs sources for both servers', ...base };
  const a = local.windows?.dnsCredential;
  const b = partner.windows?.dnsCredential;
  if (a === undefined || b === undefined) {
    const which =
      a === undefined && b === undefined ? 'neither source lists' : a === undefined ? 'the local source does not list' : 'the partner source does not list';
    return {
      kind: 'unknown',
      summary: `${which} the DNS dynamic-update credential (the collector's DnsCredential)`,
      ...base,
      fix: 'Give both servers the bundle of the shipped collector (dhcp-failover-check collector windows > windows.ps1), run elevated on each.',
    };
  }
  const evidence = [
    `local: ${credentialText(a)}, dynamic updates ${local.windows?.dnsDynamicUpdates ?? 'unknown'} (${local.source})`,
    `partner: ${credentialText(b)}, dynamic updates ${partner.windows?.dnsDynamicUpdates ?? 'unknown'} (${partner.source})`,
  ];
  const details = {
    local: { credential: a, dynamicUpdates: local.windows?.dnsDynamicUpdates },
    partner: { credential: b, dynamicUpdates: partner.windows?.dnsDynamicUpdates },
  };
  if (!registers(local) && !registers(partner))
    return { kind: 'no-updates', summary: 'neither server registers DNS records for its clients (DynamicUpdates Never)', problems: [], evidence, details };
  const same = a && b && a.user.toLowerCase() === b.user.toLowerCase() && (a.domain ?? '').toLowerCase() === (b.domain ?? '').toLowerCase();
  if (same) return { kind: 'same-credential', summary: `both servers register DNS records as ${credentialText(a)}`, problems: [], evidence, details };
  const problem =
    a || b
      ? `the servers register DNS records with different credentials: local ${credentialText(a)}, partner ${credentialText(b)}`
      : 'neither server has a DNS dynamic-update credential: each registers as its own computer account';
  return {
    kind: 'different',
    summary: `${problem}. ${DNS_REASON}`,
    problems: [problem],
    evidence,
    fix: FIX,
    details: { ...details, note: 'DnsUpdateProxy membership is not read; if both servers are members, this warning can be ignored' },
  };
}
