// The exact words of Microsoft's "DHCP Failover Requirements". Every character but the filled-in
// placeholder is as documented: tests compare these strings byte for byte.

export const messages = {
  dns: () => 'Unable to resolve the specified DNS name.',
  ip: (address: string) => `The specified IP address ${address} is invalid.`,
  reachability: () => 'The specified DHCP server is not reachable. Please provide a DHCP server that is reachable.',
  version: () => 'The version of specified DHCP server does not support failover.',
  permissions: () => 'You do not have permissions to perform this operation on the remote DHCP server.',
  relationships: (which: 'local' | 'partner', max: number) =>
    `The ${which} server already has ${max} (maximum allowed) failover relationships. ` + `A server cannot have more than ${max} failover relationships.`,
  service: () => 'DHCP server is not running on the specified server. Please ensure that DHCP server is running on the specified server.',
  time: (minutes: string) =>
    `The time difference between this server and the specified partner server is greater than the permissible value of ${minutes} minutes. ` +
    'It is recommended to ensure that both servers are time synchronized before configuring failover. ' +
    'You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.',
  scopes: () =>
    'Following scopes already exist on the specified partner server. These scope(s) will need to be deleted on the partner server before configuring failover.',
} as const;

/** Minutes as the message shows them: 60 s -> "1", 30 s -> "0.5", 90 s -> "1.5". */
export function minutesText(seconds: number): string {
  return String(Number((seconds / 60).toFixed(2)));
}
