// The library entry (`import { preflight } from 'dhcp-failover-check'`); the CLI runs the same
// core, src/run.ts.
export { preflight, type PreflightOptions, type PreflightReport, type PreflightCheckResult as CheckResult } from './preflight.js';
export { CHECK_IDS, STATUSES, type CheckId, type Status } from './checks/ids.js';
export { InputError } from './util/errors.js';
