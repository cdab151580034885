import { streamTextFile, type StreamOptions } from './text-stream.js';

export type ReadTextOptions = Pick<StreamOptions, 'maxBytes'>;

/**
 * Reads a whole text file that a user handed us, decoding it by its byte-order mark.
 * Every failure is an InputError naming the file, because every failure here is something the
 * user can fix (wrong path, wrong encoding, wrong file). Small files only (inventory, config):
 * the Windows sources stream instead (text-stream.ts).
 */
export async function readTextFile(path: string, opts: ReadTextOptions = {}): Promise<string> {
  const parts: string[] = [];
  await streamTextFile(path, { push: (text) => void parts.push(text), end: () => undefined }, opts);
  return parts.join('');
}
