import type { Format } from '../plan.js';
import { humanReporter } from './human.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { tapReporter } from './tap.js';
import type { Report, Reporter, ReporterOptions } from './types.js';

/** Format name -> reporter, like vitest's ReportersMap; a Record so a new Format cannot be forgotten. */
export const reporters: Record<Format, Reporter> = {
  human: humanReporter,
  json: jsonReporter,
  junit: junitReporter,
  tap: tapReporter,
};

export function render(format: Format, report: Report, options: ReporterOptions): string {
  return reporters[format](report, options);
}
