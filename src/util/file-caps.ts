// How big a file may be, by what it is read for: the one table every reader takes its cap from
// (README, "Limits"). A regular file is refused by its size before a byte is read; a pipe once
// more than this has arrived.

const KiB = 1024;
const MiB = 1024 * KiB;

export const FILE_CAPS = {
  // Passwords, the OMAPI key file, CA bundles: bytes to a few hundred KiB. Was 64 KiB for
  // passwords and key files, 1 MiB for CA bundles; one 1 MiB cap takes a key file that is a whole
  // dhcpd.conf fragment and any CA bundle, and is still nothing to hold in memory.
  secret: 1 * MiB,
  // Our config and plan files, parsed whole by the YAML parser, which holds several times the
  // text. Were 1 MiB (config, to stop /dev/zero, now refused as a device) and 8 MiB (plan):
  // 16 MiB is ten times the largest plan of ten thousand pairings.
  config: 16 * MiB,
  // dhcpd.conf and kea-dhcp4 configs, per file and per include: kept. A 16 MiB dhcpd.conf is
  // already far beyond what the daemons are fed; Kea's 64 MiB across all includes stays in its parser.
  'server-config': 16 * MiB,
  // Inventories: the cap depends on the format, hence two rows. A JSON inventory (its first
  // character a `{`) is streamed, scope by scope (sources/inventory-json.ts): memory follows the
  // facts, not the text, so it may be as large as an export. A YAML one, and a JSON one the
  // streaming reader refuses (read again by the YAML parser, whose error it then reports), is
  // parsed whole: kept at 32 MiB, where the YAML parser already holds gigabytes. A pipe is read
  // whole first (it cannot be read again), so it always has the YAML cap.
  inventory: 512 * MiB,
  'inventory-yaml': 32 * MiB,
  // Windows bundles and exports are streamed: memory follows the scopes, not the text. Raised from
  // 128 MiB, which a 100 000-scope export (~100 MB) came close to.
  export: 512 * MiB,
} as const;

/**
 * The largest config or plan file written as YAML: 1 MiB, where the file cap (FILE_CAPS.config) is
 * 16 MiB. The `yaml` parser is synchronous and cannot be cut into slices, and it is slow on large
 * texts: about 1-3 MB/s, and its duplicate-key check (uniqueKeys) compares each key of a map with
 * all the keys before it, so a plan's `servers:` of 100 000 names costs minutes (a 16 MiB block
 * YAML plan took 392 s and 1.4 GB here, the same plan as JSON 180 s through yaml, 0.35 s through
 * JSON.parse). 1 MiB of YAML (about 7 000 servers and pairings) parses in about a second. A JSON
 * text is read by JSON.parse at any size up to the file cap, so a generated plan of ten thousand
 * pairings or more is written as JSON, which every YAML tool also reads.
 */
export const YAML_MAX_BYTES = 1 * MiB;

export type FilePurpose = keyof typeof FILE_CAPS;

/** Both sizes in one unit, precise enough that a size just over the limit does not read as equal. */
export function formatSizes(size: number, limit: number): [string, string] {
  const unit = limit >= MiB ? { div: MiB, name: 'MiB' } : limit >= KiB ? { div: KiB, name: 'KiB' } : undefined;
  if (unit) {
    for (const digits of [0, 1]) {
      const a = (size / unit.div).toFixed(digits);
      const b = (limit / unit.div).toFixed(digits);
      if (a !== b) return [`${a} ${unit.name}`, `${b} ${unit.name}`];
    }
  }
  return [`${size} bytes`, `${limit} bytes`];
}

/** One size for a message: "16 MiB", "1.5 KiB", "100 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  if (bytes >= KiB) return `${Number((bytes / KiB).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
