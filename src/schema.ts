import { z } from 'zod';
import { ConfigSchema } from './config-schema.js';
import { InventorySchema } from './sources/inventory.js';
import { PlanReportSchema, ReportSchema } from './report/schema.js';
import { InputError } from './util/errors.js';
import { PlanFileSchema } from './plan-file/schema.js';

const DOCUMENTS = { config: ConfigSchema, inventory: InventorySchema, report: ReportSchema, plan: PlanFileSchema, 'plan-report': PlanReportSchema } as const;

export function jsonSchemaOf(name: string): string {
  const schema = (DOCUMENTS as Record<string, z.ZodType>)[name];
  if (!schema) throw new InputError(`schema: unknown document "${name}" (expected ${Object.keys(DOCUMENTS).join(', ')})`);
  return `${JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, 2)}\n`;
}
