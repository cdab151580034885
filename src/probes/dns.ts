import { lookup } from 'node:dns/promises';
import { ProbeError } from '../util/errors.js';
import { withDeadline } from '../util/deadline.js';

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'the name does not exist (NXDOMAIN) or has no IPv4 address',
  ENODATA: 'the name has no IPv4 address',
  EAI_AGAIN: 'the DNS server did not answer or failed (SERVFAIL / temporary failure)',
  ESERVFAIL: 'the DNS server failed (SERVFAIL)',
  ETIMEOUT: 'the DNS query timed out',
};

/**
 * IPv4 addresses of `name` from the system resolver (getaddrinfo), so /etc/hosts and nsswitch
 * apply exactly as they do for the Windows or Kea tools the admin will use next.
 */
export async function resolveIPv4(name: string, timeoutMs: number, signal?: AbortSignal): Promise<string[]> {
  try {
    const found = await withDeadline(lookup(name, { family: 4, all: true }), timeoutMs, `DNS lookup of ${name}`, signal);
    if (found.length === 0) throw new ProbeError(`${name}: ${CAUSES.ENODATA}`, 'ENODATA');
    return [...new Set(found.map((a) => a.address))];
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    throw new ProbeError(`${name}: ${CAUSES[code] ?? `lookup failed (${code})`}`, code);
  }
}
