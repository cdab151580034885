import type { KeaHaRelationship } from '../../sources/kea/types.js';
import { haConfigErrors, type KeaVersionLike } from './ha-rules.js';

// The HA rules of the Kea a configuration will run on; unknown (a file before deploy without
// --kea-version): those of every supported version, each error named with the versions that refuse it.

/** The versions whose HA rules differ: 2.2 (one relationship) and 2.6 onwards (hub-and-spoke; 3.x alike). */
export const SUPPORTED_HA_RULE_VERSIONS: readonly (KeaVersionLike & { text: string })[] = [
  { major: 2, minor: 2, text: '2.2' },
  { major: 2, minor: 6, text: '2.6 and later' },
];

export function haRulesErrors(rels: KeaHaRelationship[], version: KeaVersionLike | undefined): { who: string; text: string }[] {
  if (version) return haConfigErrors(rels, { version }).map((text) => ({ who: 'Kea', text }));
  const by = new Map<string, string[]>();
  for (const v of SUPPORTED_HA_RULE_VERSIONS) for (const e of haConfigErrors(rels, { version: v })) by.set(e, [...(by.get(e) ?? []), v.text]);
  return [...by].map(([text, versions]) => ({ who: versions.length === SUPPORTED_HA_RULE_VERSIONS.length ? 'Kea' : `Kea ${versions.join(', ')}`, text }));
}
