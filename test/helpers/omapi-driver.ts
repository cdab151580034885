import { readFailoverState, type OmapiKey } from '../../src/probes/omapi.js';
import { ProbeError } from '../../src/util/errors.js';

// Runs readFailoverState inside a network namespace (dhcpd's OMAPI ports exist only there):
// `nsenter --net=NS node omapi-driver.js` with one JSON request on stdin (so a key's secret is
// never on a command line) and one JSON answer on stdout. With `poll`, it repeats until every
// target shows the wanted states or the bound passes, and says how long that took.

export interface DriverTarget {
  host: string;
  port: number;
}

export interface DriverRequest {
  targets: DriverTarget[];
  peerName: string;
  timeoutMs: number;
  key?: { name: string; algorithm: string; secretBase64: string };
  poll?: { localState: string; partnerState?: string; withinMs: number; everyMs: number };
}

export type DriverState =
  | { ok: true; state: Record<string, unknown>; raw: Record<string, string>; elapsedMs: number }
  | { ok: false; code: string; message: string; elapsedMs: number };

export interface DriverAnswer {
  results: DriverState[];
  /** With poll: ms from the first attempt until all matched; undefined when they never did. */
  matchedAfterMs?: number;
  /** With poll: Date.now() when the matching answers had all arrived. */
  matchedAtEpochMs?: number;
  attempts: number;
}

async function readOne(t: DriverTarget, req: DriverRequest, key: OmapiKey | undefined): Promise<DriverState> {
  const started = performance.now();
  try {
    const s = await readFailoverState(t.host, t.port, { timeoutMs: req.timeoutMs, peerName: req.peerName, ...(key ? { key } : {}) });
    const { raw, ...state } = s;
    return { ok: true, state, raw: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.toString('hex')])), elapsedMs: performance.now() - started };
  } catch (err) {
    const code = err instanceof ProbeError ? err.code : 'exception';
    return { ok: false, code, message: err instanceof Error ? err.message : String(err), elapsedMs: performance.now() - started };
  }
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const req = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriverRequest;
  const key = req.key ? { name: req.key.name, algorithm: req.key.algorithm, secret: Buffer.from(req.key.secretBase64, 'base64') } : undefined;
  const started = performance.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const results = await Promise.all(req.targets.map((t) => readOne(t, req, key)));
    const p = req.poll;
    const matched =
      p !== undefined &&
      results.every((r) => r.ok && r.state.localStateName === p.localState && (p.partnerState === undefined || r.state.partnerStateName === p.partnerState));
    const elapsed = performance.now() - started;
    if (!p || matched || elapsed >= p.withinMs) {
      const answer: DriverAnswer = { results, attempts, ...(matched ? { matchedAfterMs: elapsed, matchedAtEpochMs: Date.now() } : {}) };
      process.stdout.write(JSON.stringify(answer));
      return;
    }
    await new Promise((r) => setTimeout(r, p.everyMs));
  }
}

await main();
