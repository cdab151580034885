import type { ServerFacts } from '../facts.js';
import type { KeaOptions, SourceSpec } from '../plan.js';

export interface SourceRun {
  timeoutMs: number;
  signal?: AbortSignal;
  kea?: KeaOptions;
}

/** File sources fail with InputError (exit 2); live sources with ProbeError (status unknown). */
export function isFileSource(spec: SourceSpec): boolean {
  return spec.kind !== 'kea';
}

export function describeSource(spec: SourceSpec): string {
  return spec.kind === 'kea' ? `kea:${spec.url}` : `${spec.kind}:${spec.path}`;
}

// Loaded on demand: a run reading one inventory file should not pay for the XML parser or HTTP.
export async function loadSource(spec: SourceSpec, run: SourceRun): Promise<ServerFacts> {
  switch (spec.kind) {
    case 'inventory':
      return (await import('./inventory.js')).loadInventory(spec.path);
    case 'windows-json':
      return (await import('./windows-json.js')).loadWindowsJson(spec.path);
    case 'windows-export':
      return (await import('./windows-export.js')).loadWindowsExport(spec.path);
    case 'kea':
      return (await import('./kea/source.js')).loadKea(spec.url, { ...run.kea, timeoutMs: run.timeoutMs, signal: run.signal });
  }
}
