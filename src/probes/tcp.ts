import { connect } from 'node:net';
import { bounded } from '../util/bounded.js';
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
  const label = `TCP ${host}:${port}`;
  const timeoutError = () => new ProbeError(`${label}: no answer within ${timeoutMs} ms (filtered or host down)`, 'timeout');
  return bounded<TcpResult>({ label, timeoutMs, signal, timeoutError }, (settle, onCleanup) => {
    const started = monotonicMs();
    const socket = connect({ host, port });
    let grace: NodeJS.Timeout | undefined;
    onCleanup(() => {
      clearTimeout(grace);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
    });
    // A listener that resets at once (SO_LINGER 0 on accept) lets the handshake complete first, so
    // 'connect' alone would call the port open: wait one more round trip (at least 50 ms, within
    // the timeout) for that RST. A graceful close (FIN) still counts as open.
    let accepted = false;
    socket.once('connect', () => {
      const connectMs = monotonicMs() - started;
      const left = timeoutMs - connectMs;
      grace = setTimeout(() => settle.resolve({ connectMs }), Math.max(0, Math.min(left, Math.max(50, 2 * connectMs))));
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
      settle.reject(new ProbeError(`${label}: ${why}`, code));
    });
  });
}
