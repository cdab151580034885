import { InputError } from './errors.js';

// A small file already in memory (config file), decoded as the streamed sources decode theirs:
// by its byte-order mark, so a file saved by Windows PowerShell 5.1 (UTF-16 LE with BOM) reads.

const BOMS: [Uint8Array, 'utf-8' | 'utf-16le' | 'utf-16be'][] = [
  [Uint8Array.of(0xef, 0xbb, 0xbf), 'utf-8'],
  [Uint8Array.of(0xff, 0xfe), 'utf-16le'],
  [Uint8Array.of(0xfe, 0xff), 'utf-16be'],
];

export function decodeText(bytes: Uint8Array, what: string): string {
  const [bom, encoding] = BOMS.find(([b]) => b.every((x, i) => bytes[i] === x)) ?? [new Uint8Array(0), 'utf-8' as const];
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(bom.length));
  } catch {
    throw new InputError(`${what}: invalid ${encoding.toUpperCase()} text`);
  }
}
