import type { Format } from '../plan.js';
import type { PlanReport, PlanReporter } from './plan-types.js';
import type { ReporterOptions } from './types.js';

/** The plan's reporters, one per format of report/index.ts, loaded on demand like those. */
export const planReporters: Record<Format, () => Promise<PlanReporter>> = {
  human: async () => (await import('./plan-human.js')).planHumanReporter,
  json: async () => (await import('./plan-json.js')).planJsonReporter,
  junit: async () => (await import('./plan-junit.js')).planJunitReporter,
  tap: async () => (await import('./plan-tap.js')).planTapReporter,
  markdown: async () => (await import('./plan-markdown.js')).planMarkdownReporter,
  nagios: async () => (await import('./plan-nagios.js')).planNagiosReporter,
};

export async function renderPlan(format: Format, report: PlanReport, options: ReporterOptions): Promise<string> {
  return (await planReporters[format]())(report, options);
}
