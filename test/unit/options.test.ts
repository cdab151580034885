import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { program } from '../../src/cli-program.js';
import { ConfigSchema } from '../../src/config-schema.js';
import { ALL_OPTIONS, PLAN_COMMAND_OPTIONS, configShape } from '../../src/options.js';
import { PlanFileSchema } from '../../src/plan-file/schema.js';
import { addPlanCommand } from '../../src/plan-file/subcommand.js';

// Every option is declared once, in src/options.ts: commander's program, the config file's keys
// and the plan file's keys are compared with the table, and no source file declares one of its own.

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

const keysOf = (schema: unknown): string[] => Object.keys((schema as { shape: Record<string, unknown> }).shape);
const unwrap = (schema: unknown): unknown => {
  let s = schema as { unwrap?: () => unknown };
  while (typeof s.unwrap === 'function') s = s.unwrap() as typeof s;
  return s;
};

describe('the one option table', () => {
  it("commander's options are exactly the table's flags", () => {
    const cmd = program();
    assert.deepEqual(
      cmd.options.map((o) => o.flags).filter((f) => f !== '--version'),
      ALL_OPTIONS.flatMap((o) => (o.flags ? [o.flags] : [])),
    );
  });
  it("the config file's keys are exactly the table's keys", () => {
    const { top, nested } = configShape();
    assert.deepEqual(keysOf(ConfigSchema).sort(), ['$schema', ...top.map((o) => o.key), ...nested.keys()].sort());
    for (const [name, inner] of nested) {
      assert.deepEqual(
        keysOf(unwrap(ConfigSchema.shape[name as keyof typeof ConfigSchema.shape])).sort(),
        inner.map((o) => o.key.slice(name.length + 1)).sort(),
      );
    }
  });
  it("a plan file's servers, pairings and options take the table's keys by scope", () => {
    const shape = (PlanFileSchema as unknown as { shape: Record<string, unknown> }).shape;
    const server = keysOf((unwrap(shape.servers) as { valueType: unknown }).valueType);
    const pairing = keysOf((shape.pairings as { element: unknown }).element);
    const options = keysOf(unwrap(shape.options));
    const serverKeys = [...new Set(ALL_OPTIONS.filter((o) => o.scope === 'server').map((o) => o.serverKey!))];
    assert.deepEqual(server.sort(), serverKeys.sort());
    assert.deepEqual(pairing.sort(), ['local', 'partner', ...ALL_OPTIONS.filter((o) => o.scope === 'pairing').map((o) => o.key)].sort());
    const global = ALL_OPTIONS.filter((o) => o.scope === 'global' && !o.cliOnly).map((o) => o.key.split('.')[0]!);
    assert.deepEqual(options.sort(), [...new Set(global)].sort());
  });
  it('every server option comes as a local/partner pair under one server key', () => {
    const server = ALL_OPTIONS.filter((o) => o.scope === 'server');
    for (const key of new Set(server.map((o) => o.serverKey))) {
      assert.deepEqual(
        server
          .filter((o) => o.serverKey === key)
          .map((o) => o.role)
          .sort(),
        ['local', 'partner'],
        `server key ${key}`,
      );
    }
  });
  it('no source file declares an option outside the table', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && path !== join(SRC, 'options.ts')) {
          const text = readFileSync(path, 'utf8');
          // A flag literal handed to commander, or a config key given its own zod type.
          if (/\.(?:option|requiredOption)\(\s*['"`]-|new Option\(\s*['"`]-/.test(text)) offenders.push(`${path}: a commander option`);
          if (/['"`]--[a-z][a-z-]+ <[^>]+>['"`]/.test(text)) offenders.push(`${path}: a flag with a value`);
        }
      }
    };
    walk(SRC);
    assert.deepEqual(offenders, []);
  });
  it("the plan command's own options are the table's PLAN_COMMAND_OPTIONS", () => {
    const cmd = program();
    addPlanCommand(cmd, () => {});
    const plan = cmd.commands.find((c) => c.name() === 'plan')!;
    assert.deepEqual(
      plan.options.map((o) => o.flags),
      PLAN_COMMAND_OPTIONS.map((o) => o.flags),
    );
  });
});
