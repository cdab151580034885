import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { reporters, render } from '../../../src/report/index.js';
import { TIME_MESSAGE, CHECKS, makeReport, plain } from '../../helpers/reporters.js';

describe('junit reporter', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => name === 'testcase' });
  type Case = { name: string; classname: string; failure?: { message: string; type: string; '#text': string }; error?: { message: string }; skipped?: unknown; 'system-out'?: string };
  const parseSuite = (xml: string) => {
    assert.equal(XMLValidator.validate(xml), true);
    const doc = parser.parse(xml) as { testsuites: { testsuite: Record<string, string> & { testcase: Case[] } } };
    return doc.testsuites.testsuite;
  };

  it('is well-formed with the right counts and the exact failure message', async () => {
    const xml = await render('junit', makeReport(), plain);
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
    const xml = (await reporters.junit())(makeReport([{ ...CHECKS[7]!, title: '<T&"\'>', message }]), plain);
    const [only] = parseSuite(xml).testcase;
    assert.equal(only?.failure?.message, `a < b & "c" 'd' > e ]]>`);
    assert.equal(only?.name, `time: <T&"'>`);
  });
});
