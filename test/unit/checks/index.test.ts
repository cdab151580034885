import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHECKS, CHECKS_BY_ID } from '../../../src/checks/index.js';
import { CHECK_IDS } from '../../../src/checks/ids.js';
import { RUNNER_CODES } from '../../../src/checks/types.js';
import { fixturePath } from '../../helpers/context.js';

const readme = readFileSync(fixturePath('../../README.md'), 'utf8');

describe('check registry', () => {
  it('holds every id once, in documented order', () => {
    assert.deepEqual(CHECKS.map((c) => c.id), [...CHECK_IDS]);
    for (const id of CHECK_IDS) assert.equal(CHECKS_BY_ID[id].id, id);
  });

  it('lists every outcome code of every check in the README, with its status', () => {
    const missing: string[] = [];
    for (const c of CHECKS) for (const [slug, status] of Object.entries(c.codes)) if (!readme.includes(`\`${c.id}.${slug}\` (${status})`)) missing.push(`${c.id}.${slug} (${status})`);
    assert.deepEqual(missing, []);
    for (const slug of Object.keys(RUNNER_CODES)) assert.ok(readme.includes(`<id>.${slug}`), slug);
  });

  it('lists no code in the README that no check gives', () => {
    const known = new Set(CHECKS.flatMap((c) => Object.keys(c.codes).map((s) => `${c.id}.${s}`)));
    const listed = [...readme.matchAll(/`([a-z][a-z-]*\.[a-z0-9-]+)` \((?:pass|warn|fail|skip|unknown)\)/g)].map((m) => m[1]!);
    assert.ok(listed.length > 40, `${listed.length} codes found in the README`);
    assert.deepEqual(listed.filter((c) => !known.has(c)), []);
  });
});
