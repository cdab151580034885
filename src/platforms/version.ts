import type { ServerVersion } from '../facts.js';

// Version arithmetic every platform module shares.

export function atLeast(v: Pick<ServerVersion, 'major' | 'minor'>, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** "Windows DHCP Server 6.3 (Windows Server 2012 R2)"; a text that already names the product stays. */
export function describeWith(v: ServerVersion, name?: string): string {
  if (v.text.startsWith(v.product)) return v.text;
  return `${v.product} ${v.text}${name ? ` (${name})` : ''}`;
}
