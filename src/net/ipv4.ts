// Dotted-quad IPv4 addresses as unsigned 32-bit integers. Strict on purpose: "010.1.2.3",
// "1.2.3" and "1.2.3.4.5" are invalid, so nothing ambiguous is ever sent to a server or to DNS.

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Input a user meant as an address rather than a name: only digits and dots, with a dot. */
export function looksLikeIPv4(text: string): boolean {
  return /^[\d.]+$/.test(text) && text.includes('.');
}

/** The address as an integer, or undefined when `text` is not a valid dotted-quad IPv4 address. */
export function parseIPv4(text: string): number | undefined {
  const m = DOTTED.exec(text);
  if (!m) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Netmask for a prefix length, as an unsigned integer (prefix 0 -> 0). */
export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Prefix length of a contiguous netmask, or undefined for a mask like 255.0.255.0. */
export function maskToPrefix(mask: number): number | undefined {
  for (let prefix = 0; prefix <= 32; prefix++) if (prefixToMask(prefix) === mask) return prefix;
  return undefined;
}

export type AddressClass =
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'reserved'
  | 'loopback'
  | 'link-local'
  | 'unicast';

export function classifyIPv4(value: number): AddressClass {
  const first = value >>> 24;
  if (value === 0xffffffff) return 'broadcast';
  if (first === 0) return 'unspecified';
  if (first >= 224 && first <= 239) return 'multicast';
  if (first >= 240) return 'reserved';
  if (first === 127) return 'loopback';
  if (first === 169 && ((value >>> 16) & 255) === 254) return 'link-local';
  return 'unicast';
}
