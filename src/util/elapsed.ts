// Durations from process.hrtime, not `performance`: that global loads perf_hooks on first use,
// a visible share of a run's start-up (docs/performance.md); hrtime is loaded
// with Node itself. Wall-clock readings for the time probes still use performance.timeOrigin.

/** A monotonic clock in milliseconds, for durations only. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
