import { connect } from 'node:net';
import { ProbeError } from '../util/errors.js';

export interface TcpResult {
  connectMs: number;
}

/** Opens and at once closes a TCP connection: proves something listens, sends no payload. */
export function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish(new ProbeError(`TCP ${host}:${port}: no answer within ${timeoutMs} ms (filtered or host down)`, 'timeout')), timeoutMs);
    const onAbort = () => finish(new ProbeError(`TCP ${host}:${port}: interrupted`, 'aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });

    function finish(result: ProbeError | TcpResult) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      if (result instanceof ProbeError) reject(result);
      else resolve(result);
    }
    socket.once('connect', () => finish({ connectMs: performance.now() - started }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EUNKNOWN';
      const why =
        code === 'ECONNREFUSED'
          ? 'connection refused (nothing listens, or a firewall rejects)'
          : code === 'ECONNRESET'
            ? 'connection reset'
            : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? 'no route to host'
              : code;
      finish(new ProbeError(`TCP ${host}:${port}: ${why}`, code));
    });
    if (signal?.aborted) onAbort();
  });
}
