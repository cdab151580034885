import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { junit } from '../../../src/report/junit.js';
const planJunitReporter = junit.render;
import { FULL, PAIRINGS } from '../../helpers/plan-report.js';

describe('planJunitReporter', () => {
  it('one testsuite per pairing, named after it, inside testsuites with the totals', async () => {
    const xml = await planJunitReporter(buildPlanReport('a&b.yaml', PAIRINGS, new Date()), { color: false, verbose: false });
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    assert.equal(doc.testsuites['@_name'], 'dhcp-failover-check plan a&b.yaml');
    assert.equal(doc.testsuites['@_tests'], '6');
    assert.equal(doc.testsuites['@_failures'], '1');
    assert.equal(doc.testsuites['@_errors'], '1');
    const suites = doc.testsuites.testsuite as { '@_name': string; '@_tests': string; testcase: { '@_name': string; failure?: { '@_message': string }; error?: unknown }[] }[];
    assert.deepEqual(suites.map((s) => s['@_name']), ['dhcp-failover-check 1: hub -> branch1', 'dhcp-failover-check 2: hub -> branch#2']);
    assert.deepEqual(suites.map((s) => s['@_tests']), ['3', '3']);
    assert.equal(suites[1]!.testcase[1]!.failure?.['@_message'], FULL);
    assert.ok(suites[1]!.testcase[2]!.error !== undefined);
  });
});
