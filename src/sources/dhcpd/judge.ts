import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { DhcpdSanity } from './facts.js';

// dhcpd's own judgement of a conf (`dhcpd -t`: parse and failover sanity check, nothing changed,
// no interface opened) and this machine's dhcpd version, where the binary exists.

export const DHCPD_BINARY = '/usr/sbin/dhcpd';
/** What `dhcpd -t` may print (README: Limits); more, and its verdict is a note that it could not be run. */
export const MAX_OUTPUT = 256 * 1024;

/** The lines of dhcpd's that judge the conf; the banner, echoed conf lines and carets are left out. */
const JUDGEMENT = /line \d+:|^ERROR|^WARNING|^Can't|^Failover configuration|^bad range|^Configuration file errors/;

interface Ran {
  code: number | null;
  output: string;
  error?: string;
}

function run(args: string[], opts: { timeoutMs: number; signal?: AbortSignal; cwd: string }): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      DHCPD_BINARY,
      args,
      {
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT,
        cwd: opts.cwd,
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (!err) return resolve({ code: 0, output });
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (typeof e.code === 'number') return resolve({ code: e.code, output });
        if (e.killed) return resolve({ code: null, output, error: `${DHCPD_BINARY} did not finish within ${opts.timeoutMs} ms` });
        resolve({ code: null, output, error: `${DHCPD_BINARY} could not be run (${String(e.code ?? e.message)})` });
      },
    );
  });
}

export const hasDhcpdBinary = (): boolean => existsSync(DHCPD_BINARY);

/**
 * A line that could carry a key's secret: it names `secret`, or holds the start of a secret's
 * base64 (as written it may differ from the canonical form in its padding only).
 */
function mayShowSecret(line: string, hide: string[]): boolean {
  if (/secret/i.test(line)) return true;
  return hide.some((h) => {
    const core = h.replace(/=+$/, '');
    return core.length > 0 && line.includes(core.slice(0, 12));
  });
}

/** `dhcpd -t -cf <file>`; lines that may show one of the `hide` secrets (base64) are dropped. */
export async function dhcpdTest(file: string, opts: { timeoutMs: number; signal?: AbortSignal; cwd: string; hide: string[] }): Promise<DhcpdSanity> {
  const r = await run(['-t', '-4', '-cf', file], opts);
  const lines = r.output
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => JUDGEMENT.test(l) && !mayShowSecret(l, opts.hide));
  return { binary: DHCPD_BINARY, exitCode: r.code, lines, ...(r.error ? { error: r.error } : {}) };
}

/** "isc-dhcpd-4.4.3-P1", or undefined when the binary does not say. */
export async function dhcpdVersion(opts: { timeoutMs: number; signal?: AbortSignal; cwd: string }): Promise<string | undefined> {
  const r = await run(['--version'], opts);
  return /isc-dhcpd-[0-9][^\s]*/.exec(r.output)?.[0];
}
