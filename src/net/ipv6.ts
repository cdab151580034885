import { isIPv6 } from 'node:net';

// IPv6 as far as a Kea HA peer needs it: which addresses are no partner's at all.

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
