// The Win32 error Add-DhcpServerv4Failover (DhcpV4FailoverCreateRelationship) returns for each
// failure the preflight predicts, so an admin can match what the wizard or the cmdlet would say.
//
// Numbers verified against the header, not the prose: the Windows SDK's um/dhcpsapi.h defines
// ERROR_DHCP_SUBNET_EXITS 0x4E24 (20004), ERROR_DHCP_SUBNET_NOT_PRESENT 0x4E25 (20005) and, under
// "DHCP failover error codes", 0x4E91 (20113) ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP,
// 0x4E92 (20114) FO_RELATIONSHIP_EXISTS, 0x4E96 (20118) FO_NOT_SUPPORTED, 0x4E97 (20119)
// FO_TIME_OUT_OF_SYNC, 0x4E99 (20121) NO_ADMIN_PERMISSION, 0x4E9A-0x4E9C (20122-20124) SERVER_NOT_REACHABLE,
// SERVER_NOT_RUNNING, SERVER_NAME_NOT_RESOLVED, 0x4E9D (20125) FO_RELATIONSHIP_NAME_TOO_LONG,
// 0x4EA0 (20128) FO_MAX_RELATIONSHIPS and 0x4EA3 (20131) FO_BOOT_NOT_SUPPORTED; the same values as
// the constants generated from Microsoft's win32metadata (windows-sys, Win32::NetworkManagement::Dhcp).
// MS-DHCPM's prose table lists some of these one lower; the header is what the API returns. The
// names each failure can give come from DhcpV4FailoverCreateRelationship's documentation
// (MicrosoftDocs/sdk-api, nf-dhcpsapi-dhcpv4failovercreaterelationship.md). test/unit/platforms/
// windows/native-errors.test.ts holds this table to those header values.

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
  'permissions.not-group-member': E(20121, 'ERROR_DHCP_NO_ADMIN_PERMISSION'),
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

/** The header's values (um/dhcpsapi.h) of every name above and of the ones `peers` names in its sentences. */
export const DHCPSAPI_HEADER: Readonly<Record<string, number>> = {
  ERROR_INVALID_PARAMETER: 87,
  ERROR_DHCP_SUBNET_EXISTS: 0x4e24,
  ERROR_DHCP_SUBNET_NOT_PRESENT: 0x4e25,
  ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP: 0x4e91,
  ERROR_DHCP_FO_RELATIONSHIP_EXISTS: 0x4e92,
  ERROR_DHCP_FO_NOT_SUPPORTED: 0x4e96,
  ERROR_DHCP_FO_TIME_OUT_OF_SYNC: 0x4e97,
  ERROR_DHCP_NO_ADMIN_PERMISSION: 0x4e99,
  ERROR_DHCP_SERVER_NOT_REACHABLE: 0x4e9a,
  ERROR_DHCP_SERVER_NOT_RUNNING: 0x4e9b,
  ERROR_DHCP_SERVER_NAME_NOT_RESOLVED: 0x4e9c,
  ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG: 0x4e9d,
  ERROR_DHCP_FO_MAX_RELATIONSHIPS: 0x4ea0,
  ERROR_DHCP_FO_BOOT_NOT_SUPPORTED: 0x4ea3,
};

/** Every outcome code with its error (for the test that holds them to the header). */
export const NATIVE_ERRORS: Readonly<Record<string, NativeError>> = {
  ...BY_OUTCOME,
  'scopes.local-problem (taken)': LOCAL_SCOPE.taken,
  'scopes.local-problem (missing)': LOCAL_SCOPE.missing,
};

export function nativeErrorOf(outcomeCode: string, message: string): NativeError | undefined {
  const known = BY_OUTCOME[outcomeCode];
  if (known) return known;
  if (outcomeCode === 'scopes.local-problem')
    return /already in failover relationship/.test(message)
      ? LOCAL_SCOPE.taken
      : /does not exist on the local server/.test(message)
        ? LOCAL_SCOPE.missing
        : undefined;
  return undefined;
}
