import type { Format } from '../plan.js';
import { oneLine } from '../util/one-line.js';
import { maskSecrets } from '../util/secrets.js';
import { writeStdout } from '../util/stdout.js';
import { OutputError, writeOutput } from './write-output.js';

/**
 * Writes the report to stdout first and whole, then each --output file; what cannot be written
 * is one line on stderr naming it and the cause. Returns false when anything was lost, so the
 * caller exits 2 (3 for nagios) instead of pretending the report arrived.
 */
export async function deliver(
  main: string,
  outputs: readonly { format: Format; path: string }[],
  renderFile: (format: Format) => Promise<string>,
  deadlineMs = 5000,
): Promise<boolean> {
  const lost = await writeStdout(maskSecrets(main));
  let ok = true;
  for (const out of outputs) {
    try {
      writeOutput(out.path, maskSecrets(await renderFile(out.format)), deadlineMs);
    } catch (err) {
      ok = false;
      if (err instanceof OutputError) {
        process.stderr.write(`dhcp-failover-check: ${oneLine(`--output ${out.format}=${out.path}: ${err.message}`)}\n`);
        continue;
      }
      process.stderr.write(
        `dhcp-failover-check: --output ${out.format}=${out.path}: cannot write ${out.path} (${(err as NodeJS.ErrnoException).code ?? 'error'})\n`,
      );
    }
  }
  if (lost) {
    ok = false;
    process.stderr.write(`dhcp-failover-check: cannot write to stdout (${lost})\n`);
  }
  return ok;
}
