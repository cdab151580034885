import type { ServerFacts } from '../../facts.js';
import { DEFAULT_INPUT_DEADLINE, readGuarded, type InputDeadline } from '../../util/read-guarded.js';
import { readKeaConfigFileSliced } from './config-file.js';
import { readDhcp4Config } from './source.js';
import type { KeaFacts } from './types.js';

// A kea-dhcp4 configuration file, as about to be deployed (or kept in git): the same facts as a
// live config-get, for the checks a file can answer. What only a running server tells (its
// version, service state, clock, the user's rights) stays unknown.

export async function loadKeaConfig(path: string, deadline: InputDeadline = DEFAULT_INPUT_DEADLINE): Promise<ServerFacts> {
  const { bytes } = await readGuarded(path, { purpose: 'server-config', label: 'kea-config', ...deadline });
  // Sliced: a signal is heard while a large config is parsed, and stops the parse.
  const { Dhcp4, files } = await readKeaConfigFileSliced(path, { bytes, signal: deadline.signal });
  const notes: string[] = [];
  const kea: KeaFacts = { clock: [] };
  // The file about to be deployed: nothing in it says that a server runs it yet.
  const facts: ServerFacts = { source: `kea-config:${path}`, platform: 'kea', kea, running: false };
  readDhcp4Config(Dhcp4, facts, kea, notes);
  const unnumbered = (kea.subnets ?? []).filter((s) => s.id < 0).map((s) => s.subnet);
  if (unnumbered.length > 0) {
    // Kea 2.x numbers them by order (fragile across peers); 3.0 refuses them: "missing parameter 'id'".
    notes.push(
      `Subnets without an "id": ${unnumbered.join(', ')} (Kea 3.0 refuses them: "missing parameter 'id'"; 2.x numbers them by their order, which differs between peers).`,
    );
  }
  if (files.length > 1) notes.push(`Read ${files.length} files (includes).`);
  if (notes.length > 0) facts.notes = notes;
  return facts;
}
