// Word wrapping for the human report on a terminal: a line too long for the width continues
// under its own indent (plus `hang`), so the check symbols stay a clean left column.

const ANSI = /\x1b\[[0-9;]*m/g;

const visible = (s: string) => [...s.replace(ANSI, '')].length;

export function wrapLine(line: string, width: number, hang = 2): string[] {
  if (visible(line) <= width) return [line];
  const indent = line.match(/^ */)![0].length;
  // A check's head line continues under its details; a numbered item under its text.
  if (indent === 0) hang = 4;
  else if (/^ *\S+\. /.test(line.replace(ANSI, '')) && /^ *(?:\x1b\[[0-9;]*m)*\d+\./.test(line)) hang = line.replace(ANSI, '').slice(indent).indexOf(' ') + 1;
  const pad = ' '.repeat(Math.min(indent + hang, Math.floor(width / 2)));
  const words = line.slice(indent).split(' ');
  const out: string[] = [];
  let current = ' '.repeat(indent);
  let used = indent;
  let first = true;
  for (const word of words) {
    const w = visible(word);
    if (!first && used + 1 + w > width) {
      out.push(current);
      current = pad + word;
      used = pad.length + w;
    } else {
      current += (first ? '' : ' ') + word;
      used += (first ? 0 : 1) + w;
    }
    first = false;
  }
  out.push(current);
  return out;
}

export function wrapText(text: string, width: number | undefined): string {
  if (!width || width < 20) return text;
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}
