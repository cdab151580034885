// The Win32 error Add-DhcpServerv4Failover (DhcpV4FailoverCreateRelationship) returns for each
// failure the preflight predicts, so an admin can match what the wizard or the cmdlet would say.
// Names and numbers as Microsoft's "DHCP Server Management API Error Codes" (dhcpsapi) list them.

export interface NativeError {
  code: number;
  name: string;
}

const E = (code: number, name: string): NativeError => ({ code, name });

/** By outcome code: one check can fail for reasons Windows numbers differently (scopes). */
const BY_OUTCOME: Record<string, NativeError> = {
  'dns.unresolved': E(20124, 'ERROR_DHCP_SERVER_NAME_NOT_RESOLVED'),
  // No DHCP-specific number: the API refuses a malformed partner address as a bad parameter.
  'ip.not-ipv4': E(87, 'ERROR_INVALID_PARAMETER'),
  'ip.not-unicast': E(87, 'ERROR_INVALID_PARAMETER'),
  'ip.own-address': E(87, 'ERROR_INVALID_PARAMETER'),
  'reachability.unreachable': E(20122, 'ERROR_DHCP_SERVER_NOT_REACHABLE'),
  'version.partner-too-old': E(20118, 'ERROR_DHCP_FO_NOT_SUPPORTED'),
  'version.local-too-old': E(20118, 'ERROR_DHCP_FO_NOT_SUPPORTED'),
  'permissions.denied': E(20121, 'ERROR_DHCP_NO_ADMIN_PERMISSION'),
  'permissions.directory-not-member': E(20121, 'ERROR_DHCP_NO_ADMIN_PERMISSION'),
  'relationships.maximum-reached': E(20128, 'ERROR_DHCP_FO_MAX_RELATIONSHIPS'),
  'service.not-running': E(20123, 'ERROR_DHCP_SERVER_NOT_RUNNING'),
  'time.skew-exceeded': E(20119, 'ERROR_DHCP_FO_TIME_OUT_OF_SYNC'),
  // The header spells it ERROR_DHCP_SUBNET_EXITS; the documentation's name is used here.
  'scopes.exists-on-partner': E(20004, 'ERROR_DHCP_SUBNET_EXISTS'),
};

/** A local scope in another relationship, or missing locally: the two local-problem cases. */
const LOCAL_SCOPE = {
  taken: E(20113, 'ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP'),
  missing: E(20005, 'ERROR_DHCP_SUBNET_NOT_PRESENT'),
};

export function nativeErrorOf(outcomeCode: string, message: string): NativeError | undefined {
  const known = BY_OUTCOME[outcomeCode];
  if (known) return known;
  if (outcomeCode === 'scopes.local-problem') return /already in failover relationship/.test(message) ? LOCAL_SCOPE.taken : /does not exist on the local server/.test(message) ? LOCAL_SCOPE.missing : undefined;
  return undefined;
}
