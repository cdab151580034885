// Writes the published JSON Schemas that ship under examples/ from the built CLI's own
// `schema` command, so the shipped copies are what the code validates (a test holds them).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/dhcp-failover-check.cjs`;

for (const [document, file] of [
  ['config', 'examples/config.schema.json'],
  ['plan', 'examples/plan.schema.json'],
]) {
  const text = execFileSync(process.execPath, [bin, 'schema', document], { encoding: 'utf8' });
  const path = `${root}${file}`;
  let old;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) writeFileSync(path, text);
}
