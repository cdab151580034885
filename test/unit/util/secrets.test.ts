import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { clearSecrets, maskSecrets, registerCredentials, registerSecret, registerUserinfo } from '../../../src/util/secrets.js';
import { oneLine } from '../../../src/util/one-line.js';

afterEach(clearSecrets);

describe('secrets: one redaction boundary', () => {
  it('masks a registered password, its JSON and XML forms, and base64(user:password)', () => {
    registerCredentials('admin', 'pa"ss<&>word');
    const basic = Buffer.from('admin:pa"ss<&>word').toString('base64');
    assert.equal(maskSecrets('pw pa"ss<&>word json "pa\\"ss<&>word" xml pa&quot;ss&lt;&amp;&gt;word'), 'pw *** json "***" xml ***');
    assert.equal(maskSecrets(`agent said: bad header ${basic}`), 'agent said: bad header ***');
  });

  it('masks any Basic credential and any URL userinfo, registered or not', () => {
    assert.equal(maskSecrets('Authorization: Basic dXNlcjpzZWNyZXQ='), 'Authorization: Basic ***');
    assert.equal(maskSecrets('kea:http://user:pa/ss@host:8000/ is not a URL'), 'kea:http://***@host:8000/ is not a URL');
  });

  it('registers the userinfo of an argument that does not parse as a URL', () => {
    registerUserinfo('kea:http://user:pa/ss@host:8000/');
    // The password, wherever it appears on its own (a server's echo, a parser's message).
    assert.equal(maskSecrets('got pa/ss somewhere'), 'got *** somewhere');
  });

  it('ignores empty and very short values; oneLine masks too', () => {
    registerSecret('');
    registerSecret('ab');
    assert.equal(maskSecrets('ab'), 'ab');
    registerSecret('hunter2');
    assert.equal(oneLine('bad password hunter2\n(again hunter2)'), 'bad password *** (again ***)');
  });
});

describe('secrets: what is not a secret', () => {
  it('leaves words after "Basic" that are not credentials', () => {
    assert.equal(maskSecrets('Basic authentication failed'), 'Basic authentication failed');
    assert.equal(maskSecrets('"Authorization": "Basic abcdef"'), '"Authorization": "Basic ***"');
  });
});
