import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderOne as render } from '../../helpers/report-fixture.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain } from '../../helpers/reporters.js';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { junit } from '../../../src/report/junit.js';
import { FULL, PAIRINGS } from '../../helpers/plan-report.js';

describe('junit reporter', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => name === 'testcase' });
  type Case = {
    name: string;
    classname: string;
    failure?: { message: string; type: string; '#text': string };
    error?: { message: string };
    skipped?: unknown;
    'system-out'?: string;
  };
  const parseSuite = (xml: string) => {
    assert.equal(XMLValidator.validate(xml), true);
    const doc = parser.parse(xml) as { testsuites: { testsuite: Record<string, string> & { testcase: Case[] } } };
    return doc.testsuites.testsuite;
  };

  it('is well-formed with the right counts and the exact failure message', async () => {
    const xml = render('junit', makeReport(), plain);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    const suite = parseSuite(xml);
    assert.equal(suite.name, 'dhcp-failover-check');
    assert.deepEqual([suite.tests, suite.failures, suite.errors, suite.skipped], ['9', '2', '1', '1']);
    assert.equal(suite.testcase.length, 9);
    const time = suite.testcase.find((c) => c.name === 'time: Time is synchronized between both servers');
    assert.equal(time?.classname, 'dhcp-failover-check');
    assert.equal(time?.failure?.message, TIME_MESSAGE);
    assert.equal(time?.failure?.type, 'time.test-fail', 'the failure type is the stable code');
    assert.match(time?.failure?.['#text'] ?? '', /skewSeconds: 95\.2\n/);
    assert.match(time?.failure?.['#text'] ?? '', /fix: Set up NTP on both servers/);
    assert.equal(suite.testcase.find((c) => c.name.startsWith('version:'))?.error?.message, CHECKS[3]?.message);
    assert.ok('skipped' in (suite.testcase.find((c) => c.name.startsWith('permissions:')) ?? {}));
    const warned = suite.testcase.find((c) => c.name.startsWith('relationships:'));
    assert.equal(warned?.failure, undefined);
    assert.match(warned?.['system-out'] ?? '', /warning \(failure ignored\): The partner server already has 31/);
  });

  it('escapes markup and strips characters XML 1.0 forbids', async () => {
    const message = `a < b & "c" 'd' > e\u0001 ]]>`;
    const xml = render('junit', makeReport([{ ...CHECKS[7]!, title: '<T&"\'>', message }]), plain);
    const [only] = parseSuite(xml).testcase;
    assert.equal(only?.failure?.message, `a < b & "c" 'd' > e ]]>`);
    assert.equal(only?.name, `time: <T&"'>`);
  });
});
const planJunitReporter = junit.render;

describe('planJunitReporter', () => {
  it('one testsuite per pairing, named after it, inside testsuites with the totals', async () => {
    const xml = await planJunitReporter(buildPlanReport('a&b.yaml', PAIRINGS, new Date()), { color: false, verbose: false });
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    assert.equal(doc.testsuites['@_name'], 'dhcp-failover-check plan a&b.yaml');
    assert.equal(doc.testsuites['@_tests'], '6');
    assert.equal(doc.testsuites['@_failures'], '1');
    assert.equal(doc.testsuites['@_errors'], '1');
    const suites = doc.testsuites.testsuite as {
      '@_name': string;
      '@_tests': string;
      testcase: { '@_name': string; failure?: { '@_message': string }; error?: unknown }[];
    }[];
    assert.deepEqual(
      suites.map((s) => s['@_name']),
      ['dhcp-failover-check 1: hub -> branch1', 'dhcp-failover-check 2: hub -> branch#2'],
    );
    assert.deepEqual(
      suites.map((s) => s['@_tests']),
      ['3', '3'],
    );
    assert.equal(suites[1]!.testcase[1]!.failure?.['@_message'], FULL);
    assert.ok(suites[1]!.testcase[2]!.error !== undefined);
  });
});
