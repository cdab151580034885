import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../../util/errors.js';
import type { FilePurpose } from '../../util/file-caps.js';
import { INCLUDE_BUDGET, IncludeBudget, includeChain } from '../../util/include-budget.js';
import { MAX_NESTING, nestedTooDeep } from '../../util/nesting.js';
import { finishSliced, finishSync, TOKENS_PER_PAUSE, type Sliced } from '../../util/cooperative.js';
import { readGuardedSync } from '../../util/read-guarded.js';
import { Lexer, printable, type Token } from './lexer.js';
import { decodeKeySecret } from './key-secret.js';
import { atoi, convertNum } from './numbers.js';
import { DhcpdKey, type DhcpdConf, type DhcpdFailoverPeer, type DhcpdPool, type DhcpdRange, type DhcpdSharedNetwork, type DhcpdSubnet } from './types.js';

export interface ParseDhcpdOptions {
  /**
   * What a relative `include` is relative to. dhcpd passes the name straight to open(2) while it
   * still runs in the directory it was started from (it chdirs to / only after reading the conf,
   * server/dhcpd.c), so a relative include is relative to dhcpd's working directory, never to the
   * including file. Default: this process's working directory, which is what `dhcpd -t -cf`
   * run here would use.
   */
  cwd?: string;
  /** Per file, below the cap of `purpose`. */
  maxFileBytes?: number;
  /** Whose cap every file read takes (file-caps.ts): a dhcpd.conf, or a key file (a secret). */
  purpose?: FilePurpose;
  /** The main file's bytes, already read (it may be a pipe, which only an asynchronous read waits for). */
  bytes?: Buffer;
  /** Nested includes (default 16). */
  maxIncludeDepth?: number;
  /** Files opened in all (default 1000: a diamond of includes could open many). */
  maxFiles?: number;
  /** Bytes of all files read together, each inclusion counted (default 64 MiB, util/include-budget.ts). */
  maxExpandedBytes?: number;
  /** Tokens in all files together (default 4 000 000). */
  maxTokens?: number;
}

/**
 * Reads an ISC dhcpd 4.4 dhcpd.conf (and what it includes) for the facts failover needs. The
 * statements it knows are parsed as dhcpd parses them; any other statement is skipped as a whole,
 * braces balanced, so a keyword it does not know never breaks it. A syntax error (or any input
 * dhcpd itself refuses in what is read here) throws one InputError naming the file and line.
 * The failover sanity rules dhcpd applies (mclt, split, referring pools, ...) are not applied:
 * the facts say what is declared, and the platform judges.
 */
export function parseDhcpdConf(path: string, opts: ParseDhcpdOptions = {}): DhcpdConf {
  return finishSync(parsing(path, opts));
}

/**
 * The same parse in slices (util/cooperative.ts): the event loop gets a turn every few
 * milliseconds, so a signal is handled while a large conf is read, and an aborted `signal`
 * stops the parse (ParseInterrupted).
 */
export function parseDhcpdConfSliced(path: string, opts: ParseDhcpdOptions & { signal?: AbortSignal | undefined } = {}): Promise<DhcpdConf> {
  return finishSliced(parsing(path, opts), `dhcpd: ${printable(path)}`, opts.signal);
}

function* parsing(path: string, opts: ParseDhcpdOptions): Sliced<DhcpdConf> {
  const conf: DhcpdConf = { file: path, files: [], failoverPeers: [], subnets: [], sharedNetworks: [], pools: [], keys: [] };
  const parser = new Parser(conf, {
    cwd: opts.cwd ?? process.cwd(),
    purpose: opts.purpose ?? 'server-config',
    ...(opts.maxFileBytes !== undefined ? { maxFileBytes: opts.maxFileBytes } : {}),
    maxIncludeDepth: opts.maxIncludeDepth ?? 16,
    maxFiles: opts.maxFiles ?? INCLUDE_BUDGET.files,
    maxExpandedBytes: opts.maxExpandedBytes ?? INCLUDE_BUDGET.bytes,
    maxTokens: opts.maxTokens ?? 4_000_000,
  });
  yield* parser.file(path, path, { kind: 'root' }, undefined, opts.bytes);
  return conf;
}

/** Where a statement is, as dhcpd's parse_statement `type` plus the objects it fills. */
type Scope =
  | { kind: 'root' }
  | { kind: 'shared-network'; net: DhcpdSharedNetwork }
  | { kind: 'subnet'; subnet: DhcpdSubnet; net: DhcpdSharedNetwork | undefined }
  | { kind: 'pool'; pool: DhcpdPool; subnet: DhcpdSubnet | undefined; net: DhcpdSharedNetwork | undefined }
  /** A pool's statements that dhcpd hands to parse_statement (an include inside a pool). */
  | { kind: 'pool-statement'; net: DhcpdSharedNetwork | undefined }
  | { kind: 'group'; net: DhcpdSharedNetwork | undefined }
  /** host, class and their kin: only `include` and `key` inside them matter here. */
  | { kind: 'opaque' };

interface Limits {
  cwd: string;
  purpose: FilePurpose;
  maxFileBytes?: number;
  maxIncludeDepth: number;
  maxFiles: number;
  maxExpandedBytes: number;
  maxTokens: number;
}

/** The keywords that begin an opaque declaration whose body is statements. */
const OPAQUE_DECLS = new Set(['host', 'class', 'subclass', 'vendor-class', 'user-class']);

const PERMITS: Record<string, { what: string; clients: boolean }> = {
  unknown: { what: 'unknown clients', clients: true },
  'unknown-clients': { what: 'unknown clients', clients: false },
  known: { what: 'known clients', clients: true },
  'known-clients': { what: 'known clients', clients: false },
  authenticated: { what: 'authenticated clients', clients: true },
  unauthenticated: { what: 'unauthenticated clients', clients: true },
  all: { what: 'all clients', clients: true },
};

const ALLOW_DENY_KEYS = new Set(['bootp', 'booting', 'dynamic-bootp', 'unknown-clients', 'duplicates', 'declines', 'client-updates', 'leasequery']);

class Parser {
  private tokens = 0;
  /** The token count at which the parse next pauses (util/cooperative.ts). */
  private pauseAt = TOKENS_PER_PAUSE;
  private readonly open: string[] = [];
  /** The files being read, as named (the include chain of a message). */
  private readonly chain: string[] = [];
  private budget: IncludeBudget | undefined;
  private readonly peers = new Map<string, DhcpdFailoverPeer>();
  private lex!: Lexer;
  private display = '';
  private nesting = 0;

  constructor(
    private readonly conf: DhcpdConf,
    private readonly limits: Limits,
  ) {}

  /** Parses one file's statements into `scope`, as dhcpd's conf_file_subparse does. */
  *file(display: string, openPath: string, scope: Scope, from: { lex: Lexer; line: number } | undefined, read?: Buffer): Sliced<void> {
    const prefix = from ? `${from.lex.where} line ${from.line}` : 'dhcpd';
    const what = from ? `include "${printable(display)}"` : printable(display);
    if (from && this.conf.files.length >= this.limits.maxFiles) {
      throw from.lex.error(from.line, `more than ${this.limits.maxFiles} files included ${includeChain([...this.chain, printable(display)])}`);
    }
    const { purpose, maxFileBytes } = this.limits;
    const bytes = read ?? readGuardedSync(openPath, { purpose, label: prefix, name: what, ...(maxFileBytes !== undefined ? { maxBytes: maxFileBytes } : {}) });
    this.budget ??= new IncludeBudget({ bytes: this.limits.maxExpandedBytes, files: Number.POSITIVE_INFINITY });
    const tooLarge = this.budget.read(bytes.length);
    if (tooLarge) {
      const where = from ? `${from.lex.where} line ${from.line}` : `dhcpd: ${printable(display)}`;
      throw new InputError(`${where}: ${tooLarge} ${includeChain([...this.chain, printable(display)])}`);
    }
    let real: string;
    try {
      real = realpathSync(openPath);
    } catch {
      real = resolve(openPath);
    }
    if (from) {
      if (this.open.includes(real)) throw from.lex.error(from.line, `include loop: "${printable(display)}" is already being read`);
      if (this.open.length > this.limits.maxIncludeDepth) {
        throw from.lex.error(from.line, `includes nested deeper than ${this.limits.maxIncludeDepth}`);
      }
    }
    this.conf.files.push(display);
    this.open.push(real);
    this.chain.push(printable(display));
    const saved = { lex: this.lex, display: this.display };
    this.display = display;
    // The line comes with the call: asking the lexer for it here (peek) would read the same token again, and again.
    this.lex = new Lexer(bytes, `dhcpd: ${printable(display)}`, (line) => {
      if (++this.tokens > this.limits.maxTokens) throw this.lex.error(line, `more than ${this.limits.maxTokens} tokens`);
    });
    try {
      for (;;) {
        const t = this.lex.peek();
        if (t.kind === 'eof') break;
        if (this.tokens >= this.pauseAt) {
          this.pauseAt = this.tokens + TOKENS_PER_PAUSE;
          yield;
        }
        if (isPunct(t, '}')) throw this.lex.error(t.line, "unexpected '}'");
        yield* this.statement(scope);
      }
    } finally {
      this.open.pop();
      this.chain.pop();
      this.lex = saved.lex;
      this.display = saved.display;
    }
  }

  // ---- statements -------------------------------------------------------------------------

  /** One statement of a block (or file) body in `scope`; the caller has seen it is not '}'. */
  private *statement(scope: Scope): Sliced<void> {
    const t = this.lex.next();
    if (isPunct(t, ';')) return; // an empty statement (`};` after a key block)
    const word = t.kind === 'name' || t.kind === 'number-or-name' ? t.text.toLowerCase() : '';
    if (scope.kind === 'opaque') {
      if (word === 'include') return yield* this.include(t, scope);
      if (word === 'key') return this.key(t);
      return yield* this.skip(t);
    }
    switch (word) {
      case 'include':
        return yield* this.include(t, scope);
      case 'failover':
        return yield* this.failover(t, scope);
      case 'subnet':
        return yield* this.subnet(t, scope);
      case 'shared-network':
        return yield* this.sharedNetwork(t, scope);
      case 'pool':
        if (scope.kind === 'pool-statement') throw this.lex.error(t.line, 'pool declared within pool');
        if (scope.kind !== 'subnet' && scope.kind !== 'shared-network') throw this.lex.error(t.line, 'pool declared outside of network');
        return yield* this.pool(t, scope);
      case 'range':
        if (scope.kind !== 'subnet') throw this.lex.error(t.line, 'range declaration not allowed here');
        scope.subnet.ranges.push(this.range(t, scope.subnet, scope.net));
        return;
      case 'group':
        return yield* this.group(t, scope);
      case 'key':
        return this.key(t);
      case 'allow':
      case 'deny':
      case 'ignore':
        return this.allowDeny(t, scope);
      case 'omapi-port':
      case 'omapi-key':
        if (scope.kind === 'root') return yield* this.omapi(t, word);
        return yield* this.skip(t);
      default:
        if (OPAQUE_DECLS.has(word)) return yield* this.opaque(t);
        return yield* this.skip(t);
    }
  }

  /** Skips a statement dhcpd knows and this parser does not need: to ';' or its block's '}'. */
  private *skip(first: Token): Sliced<void> {
    let depth = 0;
    let t = first;
    for (;;) {
      if (this.tokens >= this.pauseAt) {
        this.pauseAt = this.tokens + TOKENS_PER_PAUSE;
        yield;
      }
      if (isPunct(t, '{')) depth++;
      else if (isPunct(t, '}')) {
        if (depth === 0) throw this.lex.error(t.line, `expected ';' after ${this.context(first)}`);
        if (--depth === 0) return;
      } else if (isPunct(t, ';') && depth === 0) return;
      const next = this.lex.peek();
      if (next.kind === 'eof') {
        throw this.lex.error(
          next.line,
          depth > 0 ? `end of file inside ${this.context(first)} (line ${first.line}): missing '}'` : `expected ';' after ${this.context(first)}`,
        );
      }
      if (depth === 0 && isPunct(next, '}')) throw this.lex.error(t.line, `expected ';' after ${this.context(first)}`);
      t = this.lex.next();
    }
  }

  /** `host name { ... }`, `class "x" { ... }`, `subclass "x" data [{ ... }|;]`: body statements opaque. */
  private *opaque(first: Token): Sliced<void> {
    for (;;) {
      if (this.tokens >= this.pauseAt) {
        this.pauseAt = this.tokens + TOKENS_PER_PAUSE;
        yield;
      }
      const t = this.lex.next();
      if (isPunct(t, ';')) return;
      if (isPunct(t, '{')) return yield* this.body(first, { kind: 'opaque' });
      if (t.kind === 'eof' || isPunct(t, '}')) throw this.lex.error(t.line, `expected '{' or ';' in ${this.context(first)}`);
    }
  }

  /** Statements up to the '}' that closes the block `opener` opened. */
  private *body(opener: Token, scope: Scope, what = this.context(opener)): Sliced<void> {
    if (++this.nesting > MAX_NESTING) throw new InputError(`${this.lex.where}: ${nestedTooDeep(opener.line)}`);
    try {
      for (;;) {
        if (this.tokens >= this.pauseAt) {
          this.pauseAt = this.tokens + TOKENS_PER_PAUSE;
          yield;
        }
        const t = this.lex.peek();
        if (t.kind === 'eof') throw this.lex.error(t.line, `end of file inside ${what} (line ${opener.line}): missing '}'`);
        if (isPunct(t, '}')) {
          this.lex.next();
          return;
        }
        yield* this.statement(scope);
      }
    } finally {
      this.nesting--;
    }
  }

  private *include(first: Token, scope: Scope): Sliced<void> {
    const name = this.lex.next();
    if (name.kind !== 'string') throw this.lex.error(name.line, 'expected a file name string after include');
    // dhcpd hands an include inside a pool to parse_statement, not to the pool's own parser.
    const inner: Scope = scope.kind === 'pool' ? { kind: 'pool-statement', net: scope.net } : scope;
    const openPath = isAbsolute(name.text) ? name.text : resolve(this.limits.cwd, name.text);
    yield* this.file(openPath, openPath, inner, { lex: this.lex, line: name.line });
    this.semi(first, `include "${printable(name.text, 60)}"`);
  }

  // ---- failover peer ----------------------------------------------------------------------

  private *failover(first: Token, scope: Scope): Sliced<void> {
    const peerWord = this.lex.next();
    if (!isWord(peerWord, 'peer')) throw this.lex.error(peerWord.line, 'expected "peer" after failover');
    const nameTok = this.lex.next();
    if (!isIdentifier(nameTok) && nameTok.kind !== 'string') throw this.lex.error(nameTok.line, 'expected a failover peer name');
    const name = nameTok.text;
    const label = `failover peer "${printable(name, 60)}"`;
    if (scope.kind === 'pool') {
      if (nameTok.kind !== 'string') throw this.lex.error(nameTok.line, `expected a string after "failover peer" in a pool`);
      if (!this.peers.has(name)) throw this.lex.error(nameTok.line, `failover peer "${printable(name, 60)}" is not declared before this pool`);
      this.semi(first, label);
      scope.pool.failoverPeer = { value: name, from: 'pool', ...this.at(first) };
      return;
    }
    if (scope.kind !== 'root' && scope.kind !== 'shared-network') {
      throw this.lex.error(first.line, 'failover peers may only be defined in shared-network declarations and the outer scope');
    }
    const after = this.lex.next();
    if (isPunct(after, ';')) {
      if (scope.kind !== 'shared-network') throw this.lex.error(after.line, `${label}; (a reference) outside a shared-network declaration`);
      if (!this.peers.has(name)) throw this.lex.error(nameTok.line, `reference to unknown ${label}`);
      scope.net.failoverPeer = { value: name, ...this.at(first) };
      return;
    }
    if (isWord(after, 'state')) {
      if (!this.peers.has(name)) throw this.lex.error(after.line, `state declaration for unknown ${label}`);
      return yield* this.skip(after);
    }
    if (!isPunct(after, '{')) throw this.lex.error(after.line, `expected '{' after ${label}`);
    if (this.peers.has(name)) throw this.lex.error(first.line, `redeclaration of ${label}`);
    const peer: DhcpdFailoverPeer = { name, ...this.at(first) };
    if (scope.kind === 'shared-network') peer.sharedNetwork = scope.net.name;
    yield* this.peerBody(peer, first, label);
    this.peers.set(name, peer);
    this.conf.failoverPeers.push(peer);
  }

  /** The statements of parse_failover_peer; anything else is "invalid statement in peer declaration". */
  private *peerBody(peer: DhcpdFailoverPeer, opener: Token, label: string): Sliced<void> {
    for (;;) {
      if (this.tokens >= this.pauseAt) {
        this.pauseAt = this.tokens + TOKENS_PER_PAUSE;
        yield;
      }
      let t = this.lex.next();
      if (isPunct(t, '}')) return;
      if (t.kind === 'eof') throw this.lex.error(t.line, `end of file inside ${label} (line ${opener.line}): missing '}'`);
      const stmt = t;
      let partner = false;
      while (isWord(t, 'peer')) {
        partner = true;
        t = this.lex.next();
      }
      const word = isIdentifier(t) ? t.text.toLowerCase() : '';
      let said = word;
      const num = (): number => {
        const n = this.lex.next();
        if (n.kind !== 'number') throw this.lex.error(n.line, `expected a number after "${said}" in ${label}`);
        said = `${said} ${n.text}`;
        return atoi(n.text);
      };
      const u32 = (): number => num() >>> 0; // the u_int32_t fields
      switch (word) {
        case 'primary':
        case 'secondary':
          peer.role = { value: word, ...this.at(t) };
          break;
        case 'address': {
          const value = this.ipOrHostname(`${label} address`);
          said = `address ${value}`;
          peer[partner ? 'peerAddress' : 'address'] = { value, ...this.at(stmt) };
          break;
        }
        case 'port':
          peer[partner ? 'peerPort' : 'port'] = { value: num(), ...this.at(stmt) };
          break;
        case 'max-response-delay':
          peer[partner ? 'peerMaxResponseDelay' : 'maxResponseDelay'] = { value: u32(), ...this.at(stmt) };
          break;
        case 'max-unacked-updates':
          peer[partner ? 'peerMaxUnackedUpdates' : 'maxUnackedUpdates'] = { value: u32(), ...this.at(stmt) };
          break;
        case 'mclt':
          peer.mclt = { value: u32(), ...this.at(stmt) };
          break;
        case 'max-lease-misbalance':
          peer.maxLeaseMisbalance = { value: u32(), ...this.at(stmt) };
          break;
        case 'max-lease-ownership':
          peer.maxLeaseOwnership = { value: u32(), ...this.at(stmt) };
          break;
        case 'max-balance':
          peer.maxBalance = { value: u32(), ...this.at(stmt) };
          break;
        case 'min-balance':
          peer.minBalance = { value: u32(), ...this.at(stmt) };
          break;
        case 'auto-partner-down':
          peer.autoPartnerDown = { value: u32(), ...this.at(stmt) };
          break;
        case 'split': {
          const split = u32();
          if (split > 256) throw this.lex.error(stmt.line, `split must be between 0 and 256, inclusive (${label})`);
          peer.split = { value: split, ...this.at(stmt) };
          break;
        }
        case 'hba': {
          const bytes = this.numericAggregate(32, ':', 16, `hba of ${label}`);
          said = 'hba';
          peer.hba = { value: bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'), ...this.at(stmt) };
          break;
        }
        case 'load': {
          for (const w of ['balance', 'max', 'seconds']) {
            const k = this.lex.next();
            if (!isWord(k, w)) throw this.lex.error(k.line, `expected "${w}" in "load balance max seconds" of ${label}`);
          }
          said = 'load balance max seconds';
          peer.loadBalanceMaxSeconds = { value: num(), ...this.at(stmt) };
          break;
        }
        default: {
          const q = this.lex.quote(t);
          throw this.lex.error(t.line, `invalid statement${q ? ` "${q}"` : ''} in ${label}`);
        }
      }
      this.semiAfter(t.line, `"${partner ? 'peer ' : ''}${said}"`);
    }
  }

  // ---- subnets, shared networks, pools, ranges ---------------------------------------------

  private *sharedNetwork(first: Token, scope: Scope): Sliced<void> {
    if (scope.kind === 'shared-network' || scope.kind === 'subnet' || scope.kind === 'pool') {
      throw this.lex.error(first.line, 'shared-network declarations not allowed here');
    }
    let name: string;
    const t = this.lex.peek();
    if (t.kind === 'string') {
      this.lex.next();
      if (t.text === '') throw this.lex.error(t.line, 'zero-length shared network name');
      name = t.text;
    } else {
      const host = this.hostName();
      if (host === undefined) throw this.lex.error(t.line, 'expected a name for shared-network');
      name = host;
    }
    const label = `shared-network "${printable(name, 60)}"`;
    this.lbrace(label);
    const net: DhcpdSharedNetwork = { name, subnets: [], pools: [], ...this.at(first) };
    yield* this.body(first, { kind: 'shared-network', net }, label);
    if (net.subnets.length === 0) throw this.lex.error(first.line, `empty shared-network declaration ${label}`);
    this.conf.sharedNetworks.push(net);
  }

  private *subnet(first: Token, scope: Scope): Sliced<void> {
    if (scope.kind === 'subnet' || scope.kind === 'pool') throw this.lex.error(first.line, 'subnet declarations not allowed here');
    const net = scope.kind === 'shared-network' ? scope.net : scope.kind === 'group' || scope.kind === 'pool-statement' ? scope.net : undefined;
    const network = this.numericAggregate(4, '.', 10, 'subnet number').join('.');
    const nm = this.lex.next();
    if (!isWord(nm, 'netmask')) throw this.lex.error(nm.line, `expected "netmask" after "subnet ${network}"`);
    const netmask = this.numericAggregate(4, '.', 10, 'netmask').join('.');
    const net32 = ipv4(network);
    const mask32 = ipv4(netmask);
    const label = `subnet ${network} netmask ${netmask}`;
    if ((net32 & ~mask32) >>> 0 !== 0) throw this.lex.error(first.line, `${label}: bad subnet number/mask combination`);
    this.lbrace(label);
    const subnet: DhcpdSubnet = { network, netmask, prefix: maskPrefix(mask32), pools: [], ranges: [], ...this.at(first) };
    if (net) subnet.sharedNetwork = net.name;
    // Registered before the body: dhcpd enters the subnet first (a pool after it can find it).
    this.conf.subnets.push(subnet);
    net?.subnets.push(subnet);
    yield* this.body(first, { kind: 'subnet', subnet, net }, label);
  }

  private *pool(first: Token, scope: Extract<Scope, { kind: 'subnet' | 'shared-network' }>): Sliced<void> {
    this.lbrace('pool');
    const net = scope.net;
    const pool: DhcpdPool = {
      parent:
        scope.kind === 'subnet'
          ? { kind: 'subnet', network: scope.subnet.network, netmask: scope.subnet.netmask, ...(net ? { sharedNetwork: net.name } : {}) }
          : { kind: 'shared-network', sharedNetwork: scope.net.name },
      ranges: [],
      permits: [],
      ...this.at(first),
    };
    if (net?.failoverPeer) pool.failoverPeer = { ...net.failoverPeer, from: 'shared-network' };
    const inner: Scope = { kind: 'pool', pool, subnet: scope.kind === 'subnet' ? scope.subnet : undefined, net };
    if (++this.nesting > MAX_NESTING) throw new InputError(`${this.lex.where}: ${nestedTooDeep(first.line)}`);
    try {
      for (;;) {
        if (this.tokens >= this.pauseAt) {
          this.pauseAt = this.tokens + TOKENS_PER_PAUSE;
          yield;
        }
        const t = this.lex.peek();
        if (t.kind === 'eof') throw this.lex.error(t.line, `end of file inside pool (line ${first.line}): missing '}'`);
        if (isPunct(t, '}')) {
          this.lex.next();
          break;
        }
        const word = isIdentifier(t) ? t.text.toLowerCase() : '';
        if (word === 'no') {
          this.lex.next();
          const f = this.lex.next();
          const p = f.kind === 'eof' ? f : this.lex.next();
          if (!isWord(f, 'failover') || !isWord(p, 'peer')) throw this.lex.error(p.line, 'expected "failover peer" after "no"');
          // dhcpd 4.4 reads no ';' here (parse_pool_statement), and then refuses the lone ';'.
          if (isPunct(this.lex.peek(), ';')) throw this.lex.error(p.line, `dhcpd reads no ';' after "no failover peer" (write it without one)`);
          delete pool.failoverPeer;
        } else if (word === 'failover') {
          this.lex.next();
          yield* this.failover(t, inner);
        } else if (word === 'range') {
          this.lex.next();
          pool.ranges.push(this.range(t, inner.subnet, net));
        } else if (word === 'allow' || word === 'deny') {
          this.lex.next();
          this.permit(t, word, pool);
        } else {
          yield* this.statement(inner);
        }
      }
    } finally {
      this.nesting--;
    }
    if (pool.ranges.length === 0) throw this.lex.error(first.line, 'pool declaration with no address range');
    (scope.kind === 'subnet' ? scope.subnet.pools : scope.net.pools).push(pool);
    this.conf.pools.push(pool);
  }

  /** `range [dynamic-bootp] low [high];` in `subnet`, or (pool in a shared-network) the subnet low is on. */
  private range(first: Token, inSubnet: DhcpdSubnet | undefined, net: DhcpdSharedNetwork | undefined): DhcpdRange {
    let dynamicBootp = false;
    if (isWord(this.lex.peek(), 'dynamic-bootp')) {
      this.lex.next();
      dynamicBootp = true;
    }
    const start = this.numericAggregate(4, '.', 10, 'range start').join('.');
    const end = isPunct(this.lex.peek(), ';') ? start : this.numericAggregate(4, '.', 10, 'range end').join('.');
    this.semi(first, `range ${start === end ? start : `${start} ${end}`}`);
    const subnet = inSubnet ?? net?.subnets.find((s) => (ipv4(start) & ipv4(s.netmask)) >>> 0 === ipv4(s.network));
    if (!subnet) throw this.lex.error(first.line, `address range not on network "${printable(net?.name ?? '', 60)}"`);
    for (const addr of [start, end]) {
      if ((ipv4(addr) & ipv4(subnet.netmask)) >>> 0 !== ipv4(subnet.network)) {
        throw this.lex.error(first.line, `bad range, address ${addr} not in subnet ${subnet.network} netmask ${subnet.netmask}`);
      }
    }
    return { start, end, dynamicBootp, ...this.at(first) };
  }

  /** get_permit(): `allow|deny <permit>;` inside a pool. */
  private permit(first: Token, verb: 'allow' | 'deny', pool: DhcpdPool): void {
    const t = this.lex.next();
    const word = isIdentifier(t) ? t.text.toLowerCase() : '';
    let what: string;
    const known = PERMITS[word];
    if (known) {
      what = known.what;
      if (known.clients) this.expectWord('clients', `${verb} ${word}`);
    } else if (word === 'dynamic') {
      this.expectWord('bootp', `${verb} dynamic`);
      this.expectWord('clients', `${verb} dynamic bootp`);
      what = 'dynamic bootp clients';
    } else if (word === 'members') {
      this.expectWord('of', `${verb} members`);
      const cls = this.lex.next();
      if (cls.kind !== 'string') throw this.lex.error(cls.line, `expected a class name string after "${verb} members of"`);
      what = `members of "${cls.text}"`;
    } else if (word === 'after') {
      const parts: string[] = [];
      while (!isPunct(this.lex.peek(), ';') && this.lex.peek().kind !== 'eof' && !isPunct(this.lex.peek(), '}')) parts.push(this.lex.next().text);
      what = ['after', ...parts].join(' ');
    } else {
      throw this.lex.error(t.line, `expected a permit type after "${verb}" in a pool`);
    }
    this.semi(first, `${verb} ${what}`);
    pool.permits.push({ verb, what, ...this.at(first) });
  }

  /** parse_allow_deny(): `allow|deny|ignore <key>;` outside a pool's own statements. */
  private allowDeny(first: Token, scope: Scope): void {
    const verb = first.text.toLowerCase() as 'allow' | 'deny' | 'ignore';
    const t = this.lex.next();
    const key = isIdentifier(t) ? t.text.toLowerCase() : '';
    if (!ALLOW_DENY_KEYS.has(key)) throw this.lex.error(t.line, `expected an allow/deny key after "${verb}"`);
    this.semi(first, `${verb} ${key}`);
    if (key !== 'dynamic-bootp') return;
    const fact = { value: verb, ...this.at(first) };
    if (scope.kind === 'subnet') scope.subnet.dynamicBootp = fact;
    else if (scope.kind === 'shared-network') scope.net.dynamicBootp = fact;
  }

  private *group(first: Token, scope: Scope): Sliced<void> {
    const t = this.lex.peek();
    if (t.kind === 'string' || isIdentifier(t)) this.lex.next();
    this.lbrace('group');
    const net = scope.kind === 'root' || scope.kind === 'opaque' ? undefined : scope.net;
    yield* this.body(first, { kind: 'group', net }, 'group');
  }

  // ---- keys and OMAPI ---------------------------------------------------------------------

  /** parse_key(). Errors here never quote a token: any of them may be key material. */
  private key(first: Token): void {
    let name: string;
    const t = this.lex.peek();
    if (t.kind === 'string') name = this.lex.next().text;
    else {
      const host = this.hostName();
      if (host === undefined) throw this.lex.error(t.line, 'expected a key name');
      name = host;
    }
    const label = `key "${printable(name, 60)}"`;
    this.lbrace(label);
    let algorithm: string | undefined;
    let secret: Buffer | undefined;
    for (;;) {
      const s = this.lex.next();
      if (isWord(s, 'algorithm')) {
        if (algorithm !== undefined) throw this.lex.error(s.line, `${label}: too many algorithms`);
        algorithm = this.hostName();
        if (algorithm === undefined) throw this.lex.error(s.line, `${label}: expected a key algorithm name`);
        this.semiAfter(s.line, `"algorithm ${printable(algorithm, 40)}" in ${label}`);
      } else if (isWord(s, 'secret')) {
        if (secret !== undefined) throw this.lex.error(s.line, `${label}: too many secrets`);
        secret = decodeKeySecret(this.lex, s.line, label);
        this.semiAfter(s.line, `the secret of ${label}`);
      } else if (isPunct(s, '}')) {
        break;
      } else {
        throw this.lex.error(
          s.line,
          s.kind === 'eof' ? `end of file inside ${label} (line ${first.line}): missing '}'` : `${label}: expected "algorithm", "secret" or '}'`,
        );
      }
    }
    if (isPunct(this.lex.peek(), ';')) this.lex.next();
    this.conf.keys.push(new DhcpdKey(name, algorithm, secret, this.display, first.line));
    secret?.fill(0);
  }

  /** `omapi-port N;` (format S: a 16-bit number, 0x.. and 0.. too) and `omapi-key name;` (format k). */
  private *omapi(first: Token, word: 'omapi-port' | 'omapi-key'): Sliced<void> {
    const t = this.lex.peek();
    if (isPunct(t, '=')) return yield* this.skip(this.lex.next()); // an expression: its value is not known here
    if (word === 'omapi-port') {
      this.lex.next();
      if (t.kind !== 'number' && t.kind !== 'number-or-name') throw this.lex.error(t.line, 'expected a number after "omapi-port"');
      const value = this.num(t, 0, 16);
      this.semi(first, `omapi-port ${t.text}`);
      this.conf.omapiPort = { value, ...this.at(first) };
      return;
    }
    let value: string | undefined;
    if (t.kind === 'string') value = this.lex.next().text;
    else value = this.hostName();
    if (value === undefined) throw this.lex.error(t.line, 'expected a key name after "omapi-key"');
    this.semi(first, `omapi-key ${printable(value, 40)}`);
    this.conf.omapiKey = { value, ...this.at(first) };
  }

  // ---- small grammar pieces ---------------------------------------------------------------

  /** parse_numeric_aggregate() with a fixed count: `count` numbers joined by `sep`, each a byte. */
  private numericAggregate(count: number, sep: string, base: 10 | 16, what: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) {
        const s = this.lex.peek();
        if (!isPunct(s, sep)) throw this.lex.error(s.line, `too few numbers in ${what}`);
        this.lex.next();
      }
      const n = this.lex.next();
      if (n.kind !== 'number' && !(base === 16 && n.kind === 'number-or-name')) {
        throw this.lex.error(n.line, `expected a number in ${what}`);
      }
      out.push(this.num(n, base, 8));
    }
    return out;
  }

  private num(t: Token, base: 0 | 10 | 16, size: 8 | 16): number {
    const r = convertNum(t.text, base, size);
    if (typeof r === 'string') throw this.lex.error(t.line, r);
    return r;
  }

  /** parse_ip_addr_or_hostname(): a dotted quad when it starts NUMBER '.' NUMBER, else a host name. */
  private ipOrHostname(what: string): string {
    const t = this.lex.peek();
    if (t.kind === 'number') {
      const mark = this.lex.save();
      this.lex.next();
      const ip = isPunct(this.lex.next(), '.') && this.lex.next().kind === 'number';
      this.lex.restore(mark);
      if (ip) return this.numericAggregate(4, '.', 10, what).join('.');
    }
    const host = this.hostName();
    if (host === undefined) throw this.lex.error(t.line, `expected an IP address or host name in ${what}`);
    return host;
  }

  /** parse_host_name(): identifiers or numbers joined by dots (a trailing dot kept). */
  private hostName(): string | undefined {
    const parts: string[] = [];
    let trailing = false;
    for (;;) {
      const t = this.lex.peek();
      if (!isIdentifier(t) && t.kind !== 'number') break;
      parts.push(this.lex.next().text);
      trailing = false;
      if (!isPunct(this.lex.peek(), '.')) break;
      this.lex.next();
      trailing = true;
    }
    if (parts.length === 0) return undefined;
    return parts.join('.') + (trailing ? '.' : '');
  }

  private expectWord(word: string, after: string): void {
    const t = this.lex.next();
    if (!isWord(t, word)) throw this.lex.error(t.line, `expected "${word}" after "${after}"`);
  }

  private lbrace(what: string): void {
    const t = this.lex.next();
    if (!isPunct(t, '{')) throw this.lex.error(t.line, `expected '{' after ${what}`);
  }

  /** The ';' that ends a statement begun by `first`: a miss is reported on the statement's line. */
  private semi(first: Token, said: string): void {
    this.semiAfter(first.line, `"${said}"`);
  }

  private semiAfter(line: number, said: string): void {
    const t = this.lex.peek();
    if (!isPunct(t, ';')) throw this.lex.error(line, `expected ';' after ${said}`);
    this.lex.next();
  }

  /** A statement named for an error: its first word (quoted only if it is not on a secret line). */
  private context(first: Token): string {
    const q = this.lex.quote(first);
    return q ? `"${q}"` : 'the statement';
  }

  private at(t: Token): { file: string; line: number } {
    return { file: this.display, line: t.line };
  }
}

function isPunct(t: Token, ch: string): boolean {
  return t.kind === 'punct' && t.text === ch;
}

/** dhcpd's is_identifier(): any word, keywords included, but not NUMBER or a string. */
function isIdentifier(t: Token): boolean {
  return t.kind === 'name' || t.kind === 'number-or-name';
}

function isWord(t: Token, word: string): boolean {
  return isIdentifier(t) && t.text.toLowerCase() === word;
}

function ipv4(dotted: string): number {
  return dotted.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

function maskPrefix(mask: number): number | undefined {
  const inverted = ~mask >>> 0;
  return (inverted & (inverted + 1)) === 0 ? 32 - Math.log2(inverted + 1) : undefined;
}
