import type { ServerFacts } from '../facts.js';
import type { KeaOptions } from '../plan.js';
import { isFileKind, type SourceKind, type SourceSpec } from './kinds.js';

export interface SourceRun {
  timeoutMs: number;
  signal?: AbortSignal;
  kea?: KeaOptions;
  /** Where the described server is, for the live parts of a file source (dhcpd's OMAPI). */
  server?: { host: string; thisMachine: boolean };
  /** --omapi-key-file */
  omapiKeyFile?: string;
}

type Loader = (spec: SourceSpec, run: SourceRun) => Promise<ServerFacts>;
const path = (spec: SourceSpec) => ('path' in spec ? spec.path : 'url' in spec ? spec.url : spec.host);
/** A file source that is a pipe (`<(...)`) must deliver within the run's timeout. */
const deadline = (run: SourceRun) => ({ timeoutMs: run.timeoutMs, signal: run.signal });

// Loaded on demand: a run reading one inventory file should not pay for the XML parser or HTTP.
const LOADERS = {
  inventory: async (spec, run) => (await import('./inventory.js')).loadInventory(path(spec), deadline(run)),
  'windows-json': async (spec, run) => (await import('./windows-json.js')).loadWindowsJson(path(spec), deadline(run)),
  'windows-export': async (spec, run) => (await import('./windows-export.js')).loadWindowsExport(path(spec), deadline(run)),
  'kea-config': async (spec, run) => (await import('./kea/config-source.js')).loadKeaConfig(path(spec), deadline(run)),
  dhcpd: async (spec, run) =>
    (await import('./dhcpd/source.js')).loadDhcpd(path(spec), {
      timeoutMs: run.timeoutMs,
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.server ? { server: run.server } : {}),
      ...(run.omapiKeyFile !== undefined ? { omapiKeyFile: run.omapiKeyFile } : {}),
    }),
  kea: async (spec, run) => (await import('./kea/source.js')).loadKea(path(spec), { ...run.kea, timeoutMs: run.timeoutMs, signal: run.signal }),
  windows: async (spec, run) =>
    (await import('./windows-live.js')).loadWindowsLive(path(spec), { timeoutMs: run.timeoutMs, ...(run.signal ? { signal: run.signal } : {}) }),
} satisfies Record<SourceKind, Loader>;

/** File sources fail with InputError (exit 2); live sources with ProbeError (status unknown). */
export const isFileSource = (spec: SourceSpec): boolean => isFileKind(spec.kind);

export function loadSource(spec: SourceSpec, run: SourceRun): Promise<ServerFacts> {
  return LOADERS[spec.kind](spec, run);
}
