import { formatIPv4, maskToPrefix, parseIPv4 } from '../net/ipv4.js';
import { Lexer, type Token } from '../sources/dhcpd/lexer.js';

// What a dhcpd.conf hands to clients beyond the pools the dhcpd source reads: fixed-address hosts
// and `option` statements at the outer scope and in subnets. A token walk over the main file (the
// dhcpd source has checked its syntax already); includes are not followed here.

export interface DhcpdHost {
  name: string;
  line: number;
  hw?: string;
  address: string;
}

export interface DhcpdServed {
  hosts: DhcpdHost[];
  /** Options per scope: 'global' or a subnet "10.99.0.0/24"; name → value as written (tokens joined). */
  options: Map<string, Map<string, string>>;
}

const word = (t: Token) => (t.kind === 'name' || t.kind === 'number-or-name' ? t.text.toLowerCase() : '');
const punct = (t: Token, c: string) => t.kind === 'punct' && t.text === c;

/** Tokens joined as dhcpd wrote them: no space around `.` and `:`, one after `,`. */
function joined(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'string') out += `"${t.text}"`;
    else if (punct(t, ',')) out += ', ';
    else if (punct(t, '.') || punct(t, ':') || out.endsWith('.') || out.endsWith(':') || out === '' || out.endsWith(' ')) out += t.text;
    else out += ` ${t.text}`;
  }
  return out;
}

function cidr(network: string, netmask: string): string | undefined {
  const n = parseIPv4(network);
  const m = parseIPv4(netmask);
  const p = m === undefined ? undefined : maskToPrefix(m);
  return n === undefined || p === undefined ? undefined : `${formatIPv4(n)}/${p}`;
}

export function servedOf(bytes: Uint8Array, file: string): DhcpdServed {
  const lex = new Lexer(bytes, `dhcpd: ${file}`);
  const hosts: DhcpdHost[] = [];
  const options = new Map<string, Map<string, string>>();
  const stack: { kind: string; subnet?: string; host?: Partial<DhcpdHost> }[] = [];
  let statement: Token[] = [];
  const scopeKey = () => {
    if (stack.some((s) => s.kind !== 'subnet' && s.kind !== 'shared-network' && s.kind !== 'group')) return undefined; // hosts, pools, classes
    return [...stack].reverse().find((s) => s.subnet)?.subnet ?? 'global';
  };
  for (;;) {
    const t = lex.next();
    if (t.kind === 'eof') break;
    if (punct(t, '{')) {
      const w = statement[0] ? word(statement[0]) : '';
      const entry: (typeof stack)[number] = { kind: w };
      if (w === 'subnet' && statement.length >= 4) {
        const net = joined(
          statement.slice(
            1,
            statement.findIndex((x) => word(x) === 'netmask'),
          ),
        ).replace(/ /g, '');
        const mask = joined(statement.slice(statement.findIndex((x) => word(x) === 'netmask') + 1)).replace(/ /g, '');
        const c = cidr(net, mask);
        if (c) entry.subnet = c;
      }
      if (w === 'host') entry.host = { name: joined(statement.slice(1)), line: statement[0]!.line };
      stack.push(entry);
      statement = [];
      continue;
    }
    if (punct(t, '}')) {
      const done = stack.pop();
      const h = done?.host;
      if (h?.address !== undefined) hosts.push(h as DhcpdHost);
      statement = [];
      continue;
    }
    if (!punct(t, ';')) {
      statement.push(t);
      continue;
    }
    const w = statement[0] ? word(statement[0]) : '';
    const top = stack[stack.length - 1];
    if (top?.host && w === 'fixed-address') top.host.address = joined(statement.slice(1)).split(',')[0]!.replace(/ /g, '');
    else if (top?.host && w === 'hardware' && statement[1] && word(statement[1]) === 'ethernet')
      top.host.hw = joined(statement.slice(2)).replace(/ /g, '').toLowerCase();
    else if (w === 'option' && statement.length >= 3 && !punct(statement[2]!, '.') && word(statement[2]!) !== 'code') {
      const key = scopeKey();
      if (key !== undefined) {
        const map = options.get(key) ?? new Map<string, string>();
        map.set(word(statement[1]!), joined(statement.slice(2)));
        options.set(key, map);
      }
    }
    statement = [];
  }
  return { hosts, options };
}

/** An option value as compared: no quotes, no blanks. */
export const normalValue = (v: string) => v.replace(/"/g, '').replace(/\s+/g, '').toLowerCase();
