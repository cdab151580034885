// One budget per source for what its includes expand to (Kea's `<?include?>`, dhcpd's `include`):
// the bytes of every file read, the main file and each inclusion counted (a fragment included a
// hundred times counts a hundred times), and the number of inclusions. A fan-out of includes
// (100 × 100 × 100 from three small files) ends at the first file over budget, with the chain of
// includes that led there, instead of reading and parsing it a million times. Depth is each
// platform's own (Kea opens 11 deep, dhcpd here 16).

import { sizeText } from './file-caps.js';

export const INCLUDE_BUDGET = {
  /** Bytes of the main file and every inclusion together (README: Limits). */
  bytes: 64 * 1024 * 1024,
  /** Inclusions in all, the same file counted each time. */
  files: 1000,
} as const;

export class IncludeBudget {
  private bytes = 0;
  private files = 0;

  constructor(private readonly limits: { bytes: number; files: number } = INCLUDE_BUDGET) {}

  /** Counts one inclusion: the reason when it is one too many; call before reading it. */
  include(): string | undefined {
    return ++this.files > this.limits.files ? `more than ${this.limits.files} files included` : undefined;
  }

  /** Counts a file's bytes (the main file's too): the reason when the total is over budget. */
  read(size: number): string | undefined {
    this.bytes += size;
    return this.bytes > this.limits.bytes ? `the configuration with its includes is larger than ${sizeText(this.limits.bytes)}` : undefined;
  }
}

/** `(include chain: a.conf -> b.conf -> c.conf)` */
export function includeChain(files: readonly string[]): string {
  return `(include chain: ${files.join(' -> ')})`;
}
