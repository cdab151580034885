import { setMaxListeners } from 'node:events';
import { EXIT } from '../exit-codes.js';
import { killChildren } from './children.js';

export interface Interrupt {
  /** Aborted by SIGINT or SIGTERM; every probe listens on it. */
  signal: AbortSignal;
  /** 130 / 143 once interrupted, so what finished is still reported with that code. */
  exitCode(): number | undefined;
  /** The signal that interrupted the run, if one did. */
  by(): NodeJS.Signals | undefined;
  dispose(): void;
}

/** SIGINT/SIGTERM abort the run and end our child processes (ping); a single run and a plan share it. */
export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  // Every probe of every running check (or pairing) listens for the abort: no listener limit.
  setMaxListeners(0, controller.signal);
  let by: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    by = signal;
    controller.abort();
    killChildren();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    signal: controller.signal,
    exitCode: () => (by === undefined ? undefined : by === 'SIGINT' ? EXIT.sigint : EXIT.sigterm),
    by: () => by,
    dispose: () => {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}
