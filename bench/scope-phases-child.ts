// Child process: where the time and memory of a file-based scope comparison go, phase by phase,
// using the loaders' own exported functions. argv: <windows-json|windows-export> <local> <partner>.
// Reports on fd 3: ms per phase (both files together) and RSS after each phase, in KiB.
import { writeSync } from 'node:fs';
import { findCollisions } from '../src/net/scope.js';
import { readGuardedText } from '../src/util/read-guarded.js';
import { windowsJsonFacts } from '../src/sources/windows-json.js';
import { windowsExportFacts } from '../src/sources/windows-export.js';

const [kind, ...files] = process.argv.slice(2) as [string, string, string];
const rssKiB = () => Math.round(process.memoryUsage().rss / 1024);
const phases: Record<string, number> = { read: 0, jsonParse: 0, facts: 0, compare: 0 };
const rss: Record<string, number> = { start: rssKiB() };
const facts = [];
for (const file of files) {
  let t = performance.now();
  const text = await readGuardedText(file, { purpose: 'export', timeoutMs: 5000 });
  phases.read! += performance.now() - t;
  rss[`read ${facts.length}`] = rssKiB();
  if (kind === 'windows-json') {
    // Timed apart only to show JSON.parse's share; windowsJsonFacts parses again below.
    t = performance.now();
    JSON.parse(text);
    phases.jsonParse! += performance.now() - t;
  }
  t = performance.now();
  facts.push(kind === 'windows-json' ? windowsJsonFacts(file, text) : windowsExportFacts(file, text));
  phases.facts! += performance.now() - t;
  rss[`facts ${facts.length - 1}`] = rssKiB();
}
const t = performance.now();
const collisions = findCollisions(facts[0]!.scopes ?? [], facts[1]!.scopes ?? []);
phases.compare = performance.now() - t;
writeSync(3, JSON.stringify({ phases, rss, maxRssKiB: process.resourceUsage().maxRSS, collisions: collisions.length }));
