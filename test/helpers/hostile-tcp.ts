import { createServer, type Server, type Socket } from 'node:net';

// TCP listeners on loopback that misbehave at accept time, for the reachability tests.

export type TcpBehaviour = 'reset' | 'reset-late' | 'close' | 'hold';

export interface HostileTcp {
  host: string;
  port: number;
  /** Connections accepted. */
  accepted: number;
  close(): Promise<void>;
}

/**
 * 'reset': RST at once on accept (socket.resetAndDestroy(), i.e. SO_LINGER 0); 'reset-late': the
 * same 20 ms after accepting (a busy server, or one that first looks at the peer's address);
 * 'close': a graceful FIN at once; 'hold': keeps the connection open until close().
 */
export async function startHostileTcp(behaviour: TcpBehaviour, host = '127.0.0.2'): Promise<HostileTcp> {
  const sockets = new Set<Socket>();
  const state = { accepted: 0 };
  const server: Server = createServer((socket) => {
    state.accepted++;
    socket.on('error', () => {});
    if (behaviour === 'reset') return void socket.resetAndDestroy();
    if (behaviour === 'reset-late') {
      sockets.add(socket);
      return void setTimeout(() => socket.resetAndDestroy(), 20);
    }
    if (behaviour === 'close') return void socket.end();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  return {
    host,
    port,
    get accepted() {
      return state.accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
