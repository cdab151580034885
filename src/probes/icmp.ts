import { ProbeError } from '../util/errors.js';
import { withDeadline } from '../util/deadline.js';

export interface IcmpResult {
  rttMs: number;
}

/**
 * One ICMP echo through the system `ping` (the `ping` package). Its output is parsed in the C
 * locale, and read again here: "no reply" must not be confused with "this machine may not ping".
 */
export async function icmpEcho(host: string, timeoutMs: number, signal?: AbortSignal): Promise<IcmpResult> {
  // The package spawns with process.env; LC_ALL outranks its LANG=C, so set it too.
  process.env.LC_ALL = 'C';
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  // Loaded here, not at start-up: a run that reaches no reachability check never needs it.
  const { default: ping } = await import('ping');
  let res: Awaited<ReturnType<typeof ping.promise.probe>>;
  try {
    res = await withDeadline(ping.promise.probe(host, { timeout: seconds, deadline: seconds, min_reply: 1 }), timeoutMs, `ICMP echo to ${host}`, signal);
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    throw new ProbeError('ping is not installed or cannot be executed (install iputils-ping)', 'not-installed');
  }
  if (res.alive) return { rttMs: Number(res.time) };
  const output = String(res.output);
  if (/Operation not permitted|Permission denied|Unknown error|socktype/i.test(output) && !/icmp_seq/.test(output)) {
    throw new ProbeError(`ping is not permitted on this machine (${firstLine(output)})`, 'not-permitted');
  }
  if (/unreachable/i.test(output)) throw new ProbeError(`no echo reply from ${host}: ${unreachableLine(output)}`, 'unreachable');
  throw new ProbeError(`no echo reply from ${host} within ${seconds} s`, 'no-reply');
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'no output'
  );
}

function unreachableLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => /unreachable/i.test(l))
      ?.trim() ?? 'unreachable'
  );
}
