import { looksLikeIPv4, parseIPv4 } from './ipv4.js';
import { isIPv6 } from './ipv6.js';

// What may be handed to a resolver or a socket as a host: a DNS name (letters, digits, '-' and
// '_' in labels of 1-63, 253 in all, an optional final dot), an IPv4 address or an IPv6 one.
// Anything else (control characters, blanks, slashes, ...) is refused before any lookup.

// A '-' at a label's edge is left to the resolver to refuse: the point here is what no resolver
// should ever be asked (controls, blanks, slashes, ...).
const LABEL = /^[A-Za-z0-9_-]{1,63}$/;

export function isHostSyntax(text: string): boolean {
  if (looksLikeIPv4(text)) return parseIPv4(text) !== undefined;
  if (isIPv6(text)) return true;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/** The words of the refusal: `"x" is not a host name or address`. */
export function notAHost(text: string): string {
  return `"${text.slice(0, 200)}" is not a host name or address`;
}
