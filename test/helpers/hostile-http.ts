import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

// Hostile "Kea Control Agents" on loopback for the CLI tests. Each instance misbehaves one way;
// 'honest' answers like a small Kea 2.2 (version-get, config-get, status-get) so a baseline run
// can show what the other checks say when nothing is wrong.

export const HTTP_BEHAVIOURS = [
  'honest',
  'silent',
  'drip',
  'huge-chunked',
  'huge-declared',
  'invalid-json',
  'result-not-number',
  'object-not-list',
  'arguments-missing',
  'arguments-list',
  'http-500',
  'redirect',
  'refuse',
] as const;
export type HttpBehaviour = (typeof HTTP_BEHAVIOURS)[number];

export const HUGE_BYTES = 100 * 1024 * 1024;
/** The subnet (id 1) the honest fake reports: a Kea pair before setup has the same subnets with the same ids. */
export const PARTNER_SUBNET = '10.99.0.0/24';

export interface HostileHttp {
  url: string;
  host: string;
  port: number;
  /** TCP connections accepted. */
  connections: number;
  /** Commands of complete requests received (raw servers record '(raw)'). */
  commands: string[];
  /** Body bytes written by the 'huge-*' behaviours, over all connections. */
  bytesSent: number;
  close(): Promise<void>;
}

const HONEST: Record<string, unknown> = {
  'version-get': [{ result: 0, text: '2.2.0', arguments: { extended: '2.2.0 (hostile fake)' } }],
  'status-get': [{ result: 0, text: '', arguments: { pid: 4242, uptime: 120, reload: 120 } }],
  'config-get': [
    {
      result: 0,
      arguments: {
        Dhcp4: {
          'hooks-libraries': [],
          subnet4: [{ id: 1, subnet: PARTNER_SUBNET, pools: [{ pool: '10.99.0.100 - 10.99.0.200' }] }],
        },
      },
    },
  ],
  'config-get-agent': [{ result: 0, arguments: { 'Control-agent': { 'http-host': '127.0.0.2', 'http-port': 8000 } } }],
};

function honestReply(command: string, toAgent: boolean): unknown {
  if (command === 'config-get' && toAgent) return HONEST['config-get-agent'];
  return HONEST[command] ?? [{ result: 2, text: `'${command}' command not supported.` }];
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
}

/**
 * What the 'refuse' agent answers every command (HTTP 200, result 1): Kea's words for a command an
 * access rule denies, then what a hostile agent may add: a terminal escape sequence (retitles the
 * terminal, then clears the screen) and the credentials it received, echoed back.
 */
export const REFUSAL = (command: string, authorization: string | undefined) => {
  const basic = /^Basic (.+)$/.exec(authorization ?? '')?.[1];
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : undefined;
  return `command '${command}' not allowed\x1b]0;owned\x07\x1b[2J (${authorization ? `Authorization: ${authorization}; credentials ${decoded}` : 'no credentials'})`;
};

/** `redirectTo`: the URL the 'redirect' behaviour sends clients to. */
export async function startHostileHttp(behaviour: HttpBehaviour, opts: { host?: string; redirectTo?: string } = {}): Promise<HostileHttp> {
  const host = opts.host ?? '127.0.0.2';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { connections: 0, commands: [] as string[], bytesSent: 0 };

  let server: Server;
  if (behaviour === 'silent' || behaviour === 'drip') {
    server = createNetServer((socket) => {
      state.commands.push('(raw)');
      socket.on('error', () => {});
      if (behaviour === 'silent') return; // read everything, answer nothing, never close
      const text = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 32\r\n\r\n[{"result":0,"text":"2.2.0"}]   ';
      let at = 0;
      socket.once('data', () => {
        const t = setInterval(() => {
          if (socket.destroyed || at >= text.length) return void clearInterval(t);
          socket.write(text[at++]!);
        }, 1000);
        timers.add(t);
        socket.once('close', () => clearInterval(t));
      });
    });
  } else {
    server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let command = '(not JSON)';
        let toAgent = false;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { command?: string; service?: string[] };
          command = String(body.command);
          toAgent = !Array.isArray(body.service) || body.service.length === 0;
        } catch {
          // recorded as not JSON
        }
        state.commands.push(command);
        if (behaviour === 'refuse') return json(res, 200, [{ result: 1, text: REFUSAL(command, req.headers.authorization) }]);
        respond(behaviour, command, toAgent, res, state, opts.redirectTo);
      });
    });
  }
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server, host);
  return {
    url: `http://${host}:${port}/`,
    host,
    port,
    get connections() {
      return state.connections;
    },
    get commands() {
      return state.commands;
    },
    get bytesSent() {
      return state.bytesSent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Streams `total` bytes from one reused 64 KiB buffer, honouring back-pressure: never allocated whole. */
function stream(res: ServerResponse, total: number, state: { bytesSent: number }): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  chunk[0] = 0x5b; // '[': a JSON array that never ends
  let left = total;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, chunk.length);
      left -= n;
      state.bytesSent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (left === 0) res.end();
  };
  res.on('error', () => {});
  pump();
}

function respond(behaviour: HttpBehaviour, command: string, toAgent: boolean, res: ServerResponse, state: { bytesSent: number }, redirectTo?: string): void {
  switch (behaviour) {
    case 'honest':
      return json(res, 200, honestReply(command, toAgent));
    case 'huge-chunked':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return stream(res, HUGE_BYTES, state);
    case 'huge-declared':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': HUGE_BYTES });
      return stream(res, HUGE_BYTES, state);
    case 'invalid-json':
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return void res.end('<html><body>Welcome to nginx!</body></html>');
    case 'result-not-number':
      return json(res, 200, [{ result: '0', text: '2.2.0' }]);
    case 'object-not-list':
      return json(res, 200, { result: 0, text: '2.2.0' });
    case 'arguments-missing': {
      if (command === 'version-get') return json(res, 200, honestReply(command, toAgent));
      return json(res, 200, [{ result: 0, text: '' }]);
    }
    case 'arguments-list': {
      if (command === 'config-get' && !toAgent) return json(res, 200, [{ result: 0, arguments: [{ Dhcp4: { subnet4: [] } }] }]);
      return json(res, 200, honestReply(command, toAgent));
    }
    case 'http-500':
      return json(res, 500, { result: 1, text: 'internal server error' });
    case 'redirect':
      res.writeHead(302, { Location: redirectTo ?? 'http://127.0.0.3:1/' });
      return void res.end();
    case 'silent':
    case 'drip':
    case 'refuse':
      return; // raw servers, and the refusal answered above (it reads the request's headers): never here
  }
}
