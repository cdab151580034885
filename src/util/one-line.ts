import { escapeControl } from './escape.js';
import { maskSecrets } from './secrets.js';

// A message for one stderr line: whitespace runs joined, control characters shown as \xNN (a file
// or a server must not be able to retitle or clear the admin's terminal), and, when too long, the
// longest quoted value cut in its middle so that the reason around it survives.

/** Characters of one stderr line of outside text (README: Limits). */
export const MAX_LINE = 500;

export function oneLine(text: string): string {
  const flat = escapeControl(maskSecrets(text).replace(/\s*\n\s*/g, ' '));
  if (flat.length <= MAX_LINE) return flat;
  const quoted = [...flat.matchAll(/"[^"]*"/g)].sort((a, b) => b[0].length - a[0].length)[0];
  // Room for the marker "…(N characters cut)…": at most 30 characters.
  const keep = quoted ? MAX_LINE - (flat.length - quoted[0].length) - 30 : 0;
  if (quoted && keep >= 20) {
    const head = Math.ceil(keep / 2);
    const cut = `${quoted[0].slice(0, head)}…(${quoted[0].length - keep} characters cut)…${quoted[0].slice(quoted[0].length - (keep - head))}`;
    return flat.slice(0, quoted.index) + cut + flat.slice(quoted.index! + quoted[0].length);
  }
  return `${flat.slice(0, MAX_LINE - 1)}…`;
}
