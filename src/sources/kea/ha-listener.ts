import { readGuarded } from '../../util/read-guarded.js';
import { KEA_RESULT, KeaAuthError, keaCommand } from './client.js';
import type { KeaHaListenerProbe, KeaHaRelationship } from './types.js';

// Live, with TLS: from this machine, with the TLS files this server's configuration names for a
// peer (its trust-anchor, its client certificate and key), a TLS handshake to that peer's HA
// listener and one status-get — exactly what the server itself will do, nothing more. Kea 3.0's
// restrict-commands lets the HA listener answer status-get, so a 401/403 or "not allowed" is its own
// outcome, naming the setting. Files that are not readable here (another machine's paths) are a
// note, never a verdict.

const read = async (path: string, deadline: { timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> =>
  (await readGuarded(path, { purpose: 'secret', label: 'TLS file', ...deadline })).bytes;

export async function probeHaListeners(
  rels: KeaHaRelationship[],
  opts: { timeoutMs: number; signal?: AbortSignal },
  notes: string[],
): Promise<KeaHaListenerProbe[]> {
  const jobs: Promise<KeaHaListenerProbe>[] = [];
  for (const rel of rels) {
    for (const peer of rel.peers) {
      if (peer.name === rel.thisServerName || peer.role === 'backup') continue;
      const files = { ca: peer.trustAnchor ?? rel.trustAnchor, cert: peer.certFile ?? rel.certFile, key: peer.keyFile ?? rel.keyFile };
      if (!files.ca || !files.cert || !files.key) continue;
      let tls: { ca: Buffer; cert: Buffer; key: Buffer };
      try {
        const [ca, cert, key] = await Promise.all([read(files.ca, opts), read(files.cert, opts), read(files.key, opts)]);
        tls = { ca, cert, key };
      } catch (err) {
        notes.push(`The HA listener of peer "${peer.name}" was not probed: its TLS files are not readable on this machine (${(err as Error).message}).`);
        continue;
      }
      jobs.push(probeOne(rel.thisServerName, peer.name, peer.url, tls, opts));
    }
  }
  return Promise.all(jobs);
}

async function probeOne(
  relationship: string,
  peer: string,
  url: string,
  tls: { ca: Buffer; cert: Buffer; key: Buffer },
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<KeaHaListenerProbe> {
  const base = { relationship, peer, url };
  try {
    const r = await keaCommand(url, 'status-get', {
      timeoutMs: opts.timeoutMs,
      service: [],
      ca: tls.ca,
      haTls: { cert: tls.cert, key: tls.key },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const e = r.entries[0]!;
    if (e.result === KEA_RESULT.ok) return { ...base, outcome: 'answered', detail: 'TLS handshake and status-get answered' };
    if (/not allowed|forbidden|restrict/i.test(e.text ?? '')) return { ...base, outcome: 'refused', detail: `status-get refused: ${e.text}` };
    return { ...base, outcome: 'answered', detail: `TLS handshake done; status-get answered result ${e.result}${e.text ? `: ${e.text}` : ''}` };
  } catch (err) {
    const msg = (err as Error).message;
    const kind = (err as { code?: string }).code;
    if (err instanceof KeaAuthError || /HTTP 40[13]/.test(msg)) return { ...base, outcome: 'refused', detail: msg };
    if (kind === 'tls' || /certificate|SSL|TLS|EPROTO/i.test(msg))
      return { ...base, outcome: 'tls-failed', detail: msg.replace(/; give the agent's CA with --kea-ca$/, '') };
    return { ...base, outcome: 'unreachable', detail: msg };
  }
}
