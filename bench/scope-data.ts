import { closeSync, openSync, writeSync } from 'node:fs';
import type { ScopeFact } from '../src/facts.js';
import { formatIPv4, prefixToMask } from '../src/net/ipv4.js';

/** mulberry32: a small seeded PRNG, so every run compares the same kind of data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOW = 0x01000000; // 1.0.0.0
const HIGH = 0xdfffffff; // 223.255.255.255

/**
 * `n` distinct random scopes, /22 to /28 (what large Windows estates hold: many small scopes),
 * anywhere in 1.0.0.0–223.255.255.255. Two sides drawn with different seeds overlap here and there
 * (a few hundred collisions per 100 000), which is what findCollisions must find.
 */
export function randomScopes(n: number, seed: number): ScopeFact[] {
  const next = rng(seed);
  const seen = new Set<number>();
  const out: ScopeFact[] = [];
  while (out.length < n) {
    const prefix = 22 + Math.floor(next() * 7);
    const raw = LOW + Math.floor(next() * (HIGH - LOW));
    const network = (raw & prefixToMask(prefix)) >>> 0;
    const key = network * 64 + prefix;
    if (seen.has(key)) continue;
    seen.add(key);
    const size = 2 ** (32 - prefix);
    out.push({ network, prefix, rangeStart: network + 1, rangeEnd: network + size - 2, name: `scope-${out.length}`, state: 'Active' });
  }
  return out;
}

/** Writes in chunks so the bench process never holds a 100 MB string. */
class ChunkWriter {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    const chunk = this.buf.join('');
    this.bytes += writeSync(this.fd, chunk);
    this.buf = [];
    this.size = 0;
  }
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

/** A .NET IPAddress as ConvertTo-Json -Depth 4 writes it (Windows PowerShell 5.1). */
function ipObject(addr: number): string {
  const le = (addr & 0xff) * 0x1000000 + ((addr >>> 8) & 0xff) * 0x10000 + ((addr >>> 16) & 0xff) * 0x100 + (addr >>> 24);
  return `{"Address":${le},"AddressFamily":2,"ScopeId":null,"IsIPv6Multicast":false,"IsIPv6LinkLocal":false,"IsIPv6SiteLocal":false,"IsIPv6Teredo":false,"IsIPv4MappedToIPv6":false,"IPAddressToString":"${formatIPv4(addr)}"}`;
}

/** A windows-json bundle (see docs/windows-sources.md) holding these scopes; returns bytes written. */
export function writeWindowsJson(path: string, name: string, scopes: readonly ScopeFact[]): number {
  const w = new ChunkWriter(path);
  w.write(`{"ComputerName":"${name}","Version":{"MajorVersion":10,"MinorVersion":0},"Service":{"Status":4,"Name":"DHCPServer"},`);
  w.write(`"Parameters":{"DhcpMsgSyncDeltaTime":60},"Identity":{"User":"LAB\\\\admin","IsDhcpAdministrator":true},"Failover":[],"Scopes":[`);
  scopes.forEach((s, i) => {
    w.write(
      `${i ? ',' : ''}\n  {"ScopeId":${ipObject(s.network)},"SubnetMask":${ipObject(prefixToMask(s.prefix))},` +
        `"StartRange":${ipObject(s.rangeStart!)},"EndRange":${ipObject(s.rangeEnd!)},"Name":"${s.name}","Description":"",` +
        `"State":0,"Type":0,"SuperscopeName":"","NapEnable":false,"NapProfile":null,"Delay":0,"ActivatePolicies":true,"MaxBootpClients":4294967295,` +
        `"LeaseDuration":{"Ticks":6912000000000,"Days":8,"Hours":0,"Milliseconds":0,"Minutes":0,"Seconds":0,"TotalDays":8,"TotalHours":192,"TotalMilliseconds":691200000,"TotalMinutes":11520,"TotalSeconds":691200}}`,
    );
  });
  w.write('\n]}\n');
  return w.close();
}

/** An Export-DhcpServer XML file (configuration only, -Leases:$false) holding these scopes. */
export function writeWindowsExport(path: string, scopes: readonly ScopeFact[]): number {
  const w = new ChunkWriter(path);
  w.write('<?xml version="1.0" encoding="utf-8"?>\r\n<DHCPServer>\r\n  <MajorVersion>10</MajorVersion>\r\n  <MinorVersion>0</MinorVersion>\r\n');
  w.write(
    '  <IPv4>\r\n    <ConflictDetectionAttempts>0</ConflictDetectionAttempts>\r\n    <NapEnabled>false</NapEnabled>\r\n    <ActivatePolicies>true</ActivatePolicies>\r\n    <Scopes>\r\n',
  );
  for (const s of scopes) {
    const router = formatIPv4(s.rangeStart!);
    w.write(
      `      <Scope>\r\n        <ScopeId>${formatIPv4(s.network)}</ScopeId>\r\n        <Name>${s.name}</Name>\r\n` +
        `        <SubnetMask>${formatIPv4(prefixToMask(s.prefix))}</SubnetMask>\r\n        <StartRange>${router}</StartRange>\r\n` +
        `        <EndRange>${formatIPv4(s.rangeEnd!)}</EndRange>\r\n        <LeaseDuration>8.00:00:00</LeaseDuration>\r\n` +
        `        <State>Active</State>\r\n        <Type>Dhcp</Type>\r\n        <MaxBootpClients>4294967295</MaxBootpClients>\r\n` +
        `        <ActivatePolicies>true</ActivatePolicies>\r\n        <DelayOffer>0</DelayOffer>\r\n        <NapEnable>false</NapEnable>\r\n` +
        `        <OptionValues>\r\n          <OptionValue>\r\n            <OptionId>3</OptionId>\r\n            <Value>${router}</Value>\r\n          </OptionValue>\r\n        </OptionValues>\r\n` +
        `        <ExclusionRanges />\r\n        <Reservations />\r\n        <Policies />\r\n      </Scope>\r\n`,
    );
  }
  w.write('    </Scopes>\r\n  </IPv4>\r\n</DHCPServer>\r\n');
  return w.close();
}
