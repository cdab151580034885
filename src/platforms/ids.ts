// A leaf module: facts, the inventory schema and the registry share the platform names.

export const PLATFORM_IDS = ['windows', 'kea', 'isc-dhcpd', 'other'] as const;
export type Platform = (typeof PLATFORM_IDS)[number];

/** What each platform's server is called, in versions and messages. */
export const PRODUCTS = {
  windows: 'Windows DHCP Server',
  kea: 'Kea',
  'isc-dhcpd': 'ISC dhcpd',
  other: 'DHCP server',
} as const satisfies Record<Platform, string>;
