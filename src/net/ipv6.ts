// IPv6 as far as we need it: is this text an address, and which addresses are no partner's at all.
//
// Not node:net's isIPv6: its one large regular expression costs V8 10-20 ms to compile on first
// use and again when it tiers up, a sixth of a plain run (docs/performance.md). This reads the
// same language (the tests hold it to isIPv6) in one pass.

import { parseIPv4 } from './ipv4.js';

const HEX = /^[0-9a-fA-F]{1,4}$/;
const ZONE = /^[0-9a-zA-Z.:-]+$/;

/** Whether `text` is an IPv6 address (an embedded IPv4 tail and a `%zone` allowed), as node:net's isIPv6 says. */
export function isIPv6(text: string): boolean {
  const percent = text.indexOf('%');
  const address = percent === -1 ? text : text.slice(0, percent);
  if (percent !== -1 && !ZONE.test(text.slice(percent + 1))) return false;
  const gap = address.indexOf('::');
  if (gap !== -1 && address.indexOf('::', gap + 1) !== -1) return false;
  const count = (part: string, last: boolean): number => {
    if (part === '') return 0;
    let n = 0;
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (last && i === groups.length - 1 && g.includes('.')) {
        // A dotted quad as node:net takes it inside IPv6: parseIPv4's rules (no leading zeros).
        if (parseIPv4(g) === undefined) return -1;
        n += 2;
      } else if (HEX.test(g)) n += 1;
      else return -1;
    }
    return n;
  };
  if (gap === -1) return count(address, true) === 8;
  const head = count(address.slice(0, gap), false);
  const tail = count(address.slice(gap + 2), true);
  return head >= 0 && tail >= 0 && head + tail <= 7;
}

/** The 8 groups of an IPv6 address (an embedded IPv4 tail counts as two). */
export function ipv6Groups(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  let t = text.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(t);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    t = t.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = t.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const r = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - h.length - r.length;
  return [...h, ...Array<string>(zeros).fill('0'), ...r].map((g) => parseInt(g, 16));
}

/** unspecified, loopback, multicast, link-local or unicast (as ip's IPv4 classes are named). */
export function classifyIPv6(text: string): string {
  const g = ipv6Groups(text);
  if (!g) return 'reserved';
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  return 'unicast';
}
