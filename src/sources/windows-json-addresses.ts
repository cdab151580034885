// The optional NetIPAddress and ExclusionRanges members of a windows-json bundle: small lists,
// built whole, checked with plain functions like the rest of the bundle's lists.

import type { AddressOrigin, InterfaceAddress } from '../facts.js';
import { formatIPv4 } from '../net/ipv4.js';
import { invalid, ipv4Of, isRecord, listOf, type RawExclusion } from './windows-common.js';

// Microsoft.Management.Infrastructure enum PrefixOrigin as ConvertTo-Json writes it (a number),
// or its name when the bundle was written with -EnumsAsStrings or by hand.
const ORIGINS: readonly AddressOrigin[] = ['other', 'manual', 'well-known', 'dhcp', 'router-advertisement'];
const ORIGIN_NAMES: Record<string, AddressOrigin> = {
  other: 'other',
  manual: 'manual',
  wellknown: 'well-known',
  dhcp: 'dhcp',
  routeradvertisement: 'router-advertisement',
};

function originOf(value: unknown): AddressOrigin | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? ORIGINS[value] : undefined;
  if (typeof value === 'string') return ORIGIN_NAMES[value.trim().toLowerCase()];
  return undefined;
}

/** `@(Get-NetIPAddress -AddressFamily IPv4 | Select-Object IPAddress, InterfaceAlias, PrefixLength, PrefixOrigin, SuffixOrigin)` */
export function addressesOf(file: string, value: unknown): InterfaceAddress[] {
  const list = listOf(file, 'NetIPAddress', value, 'Get-NetIPAddress objects');
  return list.items.map((item, i) => {
    const path = list.at(i);
    if (!isRecord(item)) throw invalid(file, path, 'a Get-NetIPAddress object', item);
    const address = formatIPv4(ipv4Of(file, `${path}.IPAddress`, item['IPAddress']));
    const raw = item['PrefixOrigin'];
    const origin = originOf(raw);
    if (origin === undefined) throw invalid(file, `${path}.PrefixOrigin`, 'a PrefixOrigin number (0-4) or name (Manual, Dhcp, ...)', raw);
    const fact: InterfaceAddress = { address, origin, raw: String(raw) };
    const alias = item['InterfaceAlias'];
    if (alias != null) {
      if (typeof alias !== 'string') throw invalid(file, `${path}.InterfaceAlias`, 'a string', alias);
      fact.interface = alias;
    }
    const prefix = item['PrefixLength'];
    if (prefix != null) {
      if (typeof prefix !== 'number' || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
        throw invalid(file, `${path}.PrefixLength`, 'a prefix length (0-32)', prefix);
      fact.prefix = prefix;
    }
    return fact;
  });
}

/** `@(Get-DhcpServerv4ExclusionRange)`: ScopeId, StartRange, EndRange, IPAddress objects like the scopes'. */
export function exclusionsOf(file: string, value: unknown): RawExclusion[] {
  const list = listOf(file, 'ExclusionRanges', value, 'Get-DhcpServerv4ExclusionRange objects');
  return list.items.map((item, i) => {
    const path = list.at(i);
    if (!isRecord(item)) throw invalid(file, path, 'a Get-DhcpServerv4ExclusionRange object', item);
    return {
      path: () => path,
      scopeId: ipv4Of(file, `${path}.ScopeId`, item['ScopeId']),
      start: ipv4Of(file, `${path}.StartRange`, item['StartRange']),
      end: ipv4Of(file, `${path}.EndRange`, item['EndRange']),
    };
  });
}
