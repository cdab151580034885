import { readUint32 } from './omapi-wire.js';

/** enum failover_state of ISC dhcpd (includes/failover.h); 254 is its undocumented RECOVER-WAIT. */
export const FAILOVER_STATES = {
  0: 'unknown-state',
  1: 'startup',
  2: 'normal',
  3: 'communications-interrupted',
  4: 'partner-down',
  5: 'potential-conflict',
  6: 'recover',
  7: 'paused',
  8: 'shutdown',
  9: 'recover-done',
  10: 'resolution-interrupted',
  11: 'conflict-done',
  254: 'recover-wait',
} as const;

export type FailoverStateName = (typeof FAILOVER_STATES)[keyof typeof FAILOVER_STATES];

export interface FailoverState {
  /** The peer name of the `failover peer "..."` statement. */
  name: string;
  localState: number;
  localStateName: FailoverStateName | undefined;
  partnerState: number;
  partnerStateName: FailoverStateName | undefined;
  hierarchy: 'primary' | 'secondary' | undefined;
  mclt: number | undefined;
  loadBalanceMaxSecs: number | undefined;
  maxResponseDelay: number | undefined;
  maxOutstandingUpdates: number | undefined;
  curUnackedUpdates: number | undefined;
  localPort: number | undefined;
  partnerPort: number | undefined;
  /** Start time of the current state (unix seconds). */
  localStos: number | undefined;
  partnerStos: number | undefined;
  lastPacketSent: number | undefined;
  lastTimestampReceived: number | undefined;
  /** dhcpd 4.4 always sends 0. */
  skew: number | undefined;
  /** Present only where dhcpd keeps a load-balancing hash bucket array (32 bytes). */
  hasLoadBalanceHba: boolean;
  /** Every value as sent; `partner-address`/`local-address` are dhcpd's in-memory pointers, not addresses. */
  raw: Record<string, Buffer>;
}

const u32 = (values: Record<string, Buffer>, name: string) => readUint32(values[name]);
const stateName = (n: number) => FAILOVER_STATES[n as keyof typeof FAILOVER_STATES] as FailoverStateName | undefined;

/**
 * The typed view of the values of dhcpd's failover-state object (server/failover.c,
 * dhcp_failover_state_stuff); undefined when it lacks the two states, i.e. is not one.
 */
export function failoverStateFrom(v: Record<string, Buffer>, peerName: string): FailoverState | undefined {
  const localState = u32(v, 'local-state');
  const partnerState = u32(v, 'partner-state');
  if (localState === undefined || partnerState === undefined) return undefined;
  const hierarchy = u32(v, 'hierarchy');
  return {
    name: v.name?.toString('utf8') ?? peerName,
    localState,
    localStateName: stateName(localState),
    partnerState,
    partnerStateName: stateName(partnerState),
    hierarchy: hierarchy === 0 ? 'primary' : hierarchy === 1 ? 'secondary' : undefined,
    mclt: u32(v, 'mclt'),
    loadBalanceMaxSecs: u32(v, 'load-balance-max-secs'),
    maxResponseDelay: u32(v, 'max-response-delay'),
    maxOutstandingUpdates: u32(v, 'max-outstanding-updates'),
    curUnackedUpdates: u32(v, 'cur-unacked-updates'),
    localPort: u32(v, 'local-port'),
    partnerPort: u32(v, 'partner-port'),
    localStos: u32(v, 'local-stos'),
    partnerStos: u32(v, 'partner-stos'),
    lastPacketSent: u32(v, 'last-packet-sent'),
    lastTimestampReceived: u32(v, 'last-timestamp-received'),
    skew: u32(v, 'skew'),
    hasLoadBalanceHba: v['load-balance-hba']?.length === 32,
    raw: v,
  };
}
