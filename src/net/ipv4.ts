// Dotted-quad IPv4 addresses as unsigned 32-bit integers. Strict on purpose: "010.1.2.3",
// "1.2.3" and "1.2.3.4.5" are invalid, so nothing ambiguous is ever sent to a server or to DNS.

/** Input a user meant as an address rather than a name: only digits and dots, with a dot. */
export function looksLikeIPv4(text: string): boolean {
  return /^[\d.]+$/.test(text) && text.includes('.');
}

/**
 * The address as an integer, or undefined when `text` is not a valid dotted-quad IPv4 address.
 * A char-code loop rather than a regex: sources parse hundreds of thousands of these.
 */
export function parseIPv4(text: string): number | undefined {
  const length = text.length;
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? text.charCodeAt(i) : 46; // a final '.' closes the last part
    if (c === 46) {
      if (digits === 0 || parts === 4) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined; // leading zero: "010" is ambiguous (octal?)
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value : undefined;
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

export type AddressClass = 'unspecified' | 'broadcast' | 'multicast' | 'reserved' | 'loopback' | 'link-local' | 'unicast';

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
