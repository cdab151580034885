import type { ServerFacts } from '../../facts.js';
import { formatIPv4 } from '../../net/ipv4.js';
import type { Pair, PairingVerdict } from '../types.js';

// What `peers` judges for a Windows pair before Add-DhcpServerv4Failover runs: the relationship
// name (unique on both servers, at most 126 characters) and scopes of type BOOTP or Both.
//
// The name: DhcpV4FailoverCreateRelationship refuses a name already used on the server
// (ERROR_DHCP_FO_RELATIONSHIP_EXISTS, 20114) or one too long (ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG,
// 20125); the relationship is created on both servers, so the name must be free on both.
// BOOTP: Microsoft's DHCP team ("DHCP Failover supports BOOTP clients in Windows Server 2012 R2"):
// Windows Server 2012 cannot put a scope of type BOOTP or Both in failover; from 2012 R2 it can,
// and "it is highly recommended that conflict detection check be enabled on the DHCP failover
// servers with scopes of type BOOTP or BOTH" (a BOOTP address never expires, while a failover server
// in COMMUNICATION INTERRUPTED or PARTNER DOWN may reclaim and reoffer it).

/** Characters of a relationship name (the header's limit as the wizard enforces it). */
export const MAX_RELATIONSHIP_NAME = 126;

// Compared lowercased, not by a case-insensitive regular expression: compiling one costs more
// than the comparison, on every run.
const isBootp = (type: string | undefined) => {
  const t = type?.toLowerCase();
  return t === 'bootp' || t === 'both';
};
const is2012 = (f: ServerFacts | undefined) => f?.version !== undefined && f.version.major === 6 && f.version.minor === 2;

export function judgeWindowsPairing(pair: Pair): PairingVerdict {
  const failures: string[] = [];
  const warnings: string[] = [];
  const fixes: string[] = [];
  const checked: string[] = [];
  const name = pair.relationshipName;
  if (name !== undefined) {
    checked.push(`relationship name "${name}"`);
    if (name.length > MAX_RELATIONSHIP_NAME) {
      failures.push(
        `the relationship name is ${name.length} characters long; Windows allows at most ${MAX_RELATIONSHIP_NAME} (ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG, 20125)`,
      );
      fixes.push(`Choose a relationship name of at most ${MAX_RELATIONSHIP_NAME} characters.`);
    }
    for (const [role, facts] of [
      ['local', pair.local],
      ['partner', pair.partner],
    ] as const) {
      const taken = facts?.relationships?.find((r) => r.name.toLowerCase() === name.toLowerCase());
      if (taken) {
        failures.push(
          `the ${role} server already has a relationship named "${taken.name}"${taken.partner ? ` (with ${taken.partner})` : ''} (ERROR_DHCP_FO_RELATIONSHIP_EXISTS, 20114)`,
        );
        fixes.push('Choose a relationship name that neither server uses (Get-DhcpServerv4Failover lists them).');
      } else if (facts && !facts.relationships) {
        warnings.push(`the ${role} source does not list its relationships: whether "${name}" is free there is unknown`);
      }
    }
  }
  const bootp = (pair.local?.scopes ?? []).filter((s) => isBootp(s.type));
  if (bootp.length > 0) {
    const list = bootp.map((s) => `${formatIPv4(s.network)}/${s.prefix} (${s.type})`).join(', ');
    checked.push(`${bootp.length} BOOTP scope${bootp.length === 1 ? '' : 's'}`);
    const old = [
      ['local', pair.local],
      ['partner', pair.partner],
    ]
      .filter(([, f]) => is2012(f as ServerFacts | undefined))
      .map(([r]) => r as string);
    if (old.length > 0) {
      failures.push(
        `scopes of type BOOTP or Both cannot be in failover on Windows Server 2012 (the ${old.join(' and ')} server): ${list} (ERROR_DHCP_FO_BOOT_NOT_SUPPORTED, 20131)`,
      );
      fixes.push('Upgrade to Windows Server 2012 R2 or later, or leave these scopes out with --scope (or change their type to DHCP only).');
    } else {
      const off = [
        ['local', pair.local],
        ['partner', pair.partner],
      ]
        .filter(([, f]) => (f as ServerFacts | undefined)?.windows?.conflictDetectionAttempts === 0)
        .map(([r]) => r as string);
      const unknown = [
        ['local', pair.local],
        ['partner', pair.partner],
      ]
        .filter(([, f]) => (f as ServerFacts | undefined)?.windows?.conflictDetectionAttempts === undefined)
        .map(([r]) => r as string);
      if (off.length > 0) {
        warnings.push(
          `conflict detection is off on the ${off.join(' and ')} server, and these scopes serve BOOTP clients: ${list}. A BOOTP address never expires, but a failover server cut off from its partner may reclaim and offer it again; Microsoft highly recommends conflict detection for them`,
        );
        fixes.push('Turn on conflict detection on both servers: Set-DhcpServerSetting -ComputerName <server> -ConflictDetectionAttempts 1.');
      } else if (unknown.length > 0) {
        warnings.push(
          `whether conflict detection is on for the BOOTP scopes (${list}) is unknown on the ${unknown.join(' and ')} server (Get-DhcpServerSetting ConflictDetectionAttempts)`,
        );
      }
    }
  }
  if (checked.length === 0) {
    return {
      situation: 'windows',
      failures,
      warnings,
      fixes,
      summary: '',
      notApplicable: 'no relationship name given (--relationship-name) and no scope of type BOOTP or Both',
    };
  }
  return { situation: 'windows', failures, warnings, fixes: [...new Set(fixes)], summary: `${checked.join(' and ')}: nothing in the way` };
}
