import type { Platform } from '../platforms/ids.js';

// The source kinds a spec may name (`<kind>:<file or url>`): config parsing, --help, the config
// schema and the README derive from this list; loaders are keyed by it in ./index.ts.

interface KindMeta {
  /** A file path (relative to a config file), or a URL. */
  takes: 'file' | 'url' | 'host';
  /** The platform every source of this kind describes; absent: the source itself says. */
  platform?: Platform;
  /** File sources are input (a bad one is exit 2); live ones are probes (a failure is unknown). */
  help: string;
}

export const SOURCE_KINDS = {
  'windows-json': { takes: 'file', platform: 'windows', help: "a bundle of the DhcpServer cmdlets' output (ConvertTo-Json)" },
  'windows-export': { takes: 'file', platform: 'windows', help: 'the XML of Export-DhcpServer' },
  inventory: { takes: 'file', help: 'our JSON/YAML description of any server' },
  'kea-config': { takes: 'file', platform: 'kea', help: 'a kea-dhcp4 configuration file (the one about to be deployed)' },
  dhcpd: { takes: 'file', platform: 'isc-dhcpd', help: 'an ISC dhcpd dhcpd.conf (with live state over OMAPI where it sets omapi-port)' },
  kea: { takes: 'url', platform: 'kea', help: "a live Kea: its Control Agent, or kea-dhcp4's own HTTP control socket (3.0+)" },
  windows: {
    takes: 'host',
    platform: 'windows',
    help: 'a live Windows DHCP server: the shipped collector run with -ComputerName through powershell.exe (the tool on Windows)',
  },
} as const satisfies Record<string, KindMeta>;

export type SourceKind = keyof typeof SOURCE_KINDS;
type KindsTaking<T> = { [K in SourceKind]: (typeof SOURCE_KINDS)[K]['takes'] extends T ? K : never }[SourceKind];
export type FileKind = KindsTaking<'file'>;
export type UrlKind = KindsTaking<'url'>;
export type HostKind = KindsTaking<'host'>;

export type SourceSpec = { kind: FileKind; path: string } | { kind: UrlKind; url: string } | { kind: HostKind; host: string };

export const SOURCE_KIND_NAMES = Object.keys(SOURCE_KINDS) as SourceKind[];

export const isFileKind = (kind: SourceKind): kind is FileKind => SOURCE_KINDS[kind].takes === 'file';

/** "windows-json:<file> | ... | kea:<url>", for help texts and errors. */
export const SPEC_FORMS = SOURCE_KIND_NAMES.map((k) => `${k}:<${SOURCE_KINDS[k].takes}>`).join(' | ');

export function describeSource(spec: SourceSpec): string {
  return 'url' in spec ? `${spec.kind}:${spec.url}` : 'host' in spec ? `${spec.kind}:${spec.host}` : `${spec.kind}:${spec.path}`;
}

/** The platform a spec implies before anything is read (a failed live source still says "kea"). */
export function impliedPlatform(spec: SourceSpec | undefined): Platform | undefined {
  return spec ? (SOURCE_KINDS[spec.kind] as KindMeta).platform : undefined;
}

/** The live endpoint a URL spec talks to, e.g. a Kea control socket. */
export function specEndpoint(spec: SourceSpec | undefined): { host: string; port: number } | undefined {
  if (!spec || !('url' in spec)) return undefined;
  try {
    const u = new URL(spec.url);
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  } catch {
    return undefined;
  }
}
