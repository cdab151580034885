/**
 * A Windows server as an inventory document: running, administrable by CORP\admin, static
 * addresses, with `existing` relationships to other partners. Plan tests and the plan bench
 * write these to loopback so every probe really runs.
 */
export function windowsInventory(name: string, address: string, scopes: string[], existing = 0) {
  return {
    name,
    platform: 'windows',
    addresses: [address],
    staticAddress: true,
    version: '10.0.17763',
    service: 'running',
    identity: { user: 'CORP\\admin', isDhcpAdministrator: true },
    relationships: Array.from({ length: existing }, (_, i) => ({ name: `${name}-old${i}`, partner: `10.9.${i}.1`, scopes: [`10.9.${i}.0`] })),
    scopes: scopes.map((scope) => ({ scope })),
  };
}
