import { connect } from 'node:net';
import { ProbeError } from '../util/errors.js';
import { monotonicMs } from '../util/elapsed.js';

export interface TcpResult {
  connectMs: number;
}

/**
 * Opens and at once closes a TCP connection: proves something listens, sends no payload.
 * `onHandshake` is told when the handshake completes, before the grace for a late reset ends.
 */
export function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal, onHandshake?: () => void): Promise<TcpResult> {
  return new Promise((resolve, reject) => {
    const started = monotonicMs();
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish(new ProbeError(`TCP ${host}:${port}: no answer within ${timeoutMs} ms (filtered or host down)`, 'timeout')), timeoutMs);
    const onAbort = () => finish(new ProbeError(`TCP ${host}:${port}: interrupted`, 'aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });

    let grace: NodeJS.Timeout | undefined;
    function finish(result: ProbeError | TcpResult) {
      clearTimeout(timer);
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      if (result instanceof ProbeError) reject(result);
      else resolve(result);
    }
    // A listener that resets at once (SO_LINGER 0 on accept) lets the handshake complete first, so
    // 'connect' alone would call the port open: wait one more round trip (at least 50 ms, within
    // the timeout) for that RST. A graceful close (FIN) still counts as open.
    let accepted = false;
    socket.once('connect', () => {
      const connectMs = monotonicMs() - started;
      const left = timeoutMs - connectMs;
      grace = setTimeout(() => finish({ connectMs }), Math.max(0, Math.min(left, Math.max(50, 2 * connectMs))));
      accepted = true;
      onHandshake?.();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EUNKNOWN';
      const why =
        code === 'ECONNREFUSED'
          ? 'connection refused (nothing listens, or a firewall rejects)'
          : code === 'ECONNRESET'
            ? accepted
              ? 'connection reset right after it was accepted'
              : 'connection reset'
            : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? 'no route to host'
              : code;
      finish(new ProbeError(`TCP ${host}:${port}: ${why}`, code));
    });
    if (signal?.aborted) onAbort();
  });
}
