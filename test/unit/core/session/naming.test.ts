import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPOSED_NAME, exposeName, exposeUri, splitExposedName, splitExposedUri } from '../../../../main/core/session/naming.js';

const LONGEST_ID = 'a'.repeat(24); // the policy allows server ids of up to 24 characters

describe('exposeName', () => {
  test('is <serverId>__<name> when that is a valid client-side name', () => {
    assert.equal(exposeName('github', 'create_issue'), 'github__create_issue');
    assert.equal(exposeName('my-srv', 'get-Item_2'), 'my-srv__get-Item_2');
  });

  test('keeps a name that fits exactly 64 characters', () => {
    const name = 'x'.repeat(64 - 'srv__'.length);
    assert.equal(exposeName('srv', name), `srv__${name}`);
    assert.equal(exposeName('srv', name).length, 64);
  });

  test('shortens a long name to 64 characters with a hash suffix', () => {
    const name = 'a_tool_name_that_goes_on_and_on_'.repeat(3);
    const exposed = exposeName('docs', name);
    assert.match(exposed, EXPOSED_NAME);
    assert.ok(exposed.length <= 64);
    assert.ok(exposed.startsWith('docs__a_tool_name_that'), exposed);
    assert.match(exposed, /-[a-z0-9]{6}$/);
  });

  test('replaces characters clients refuse, keeping the result readable', () => {
    for (const name of ['files.read', 'repo/list', 'a b', 'émoji😀', 'x:y', 'dots.and/slashes.v2']) {
      const exposed = exposeName('srv', name);
      assert.match(exposed, EXPOSED_NAME, `${name} → ${exposed}`);
      assert.ok(exposed.startsWith('srv__'), exposed);
    }
    assert.match(exposeName('srv', 'files.read'), /^srv__files_read-[a-z0-9]{6}$/);
    assert.match(exposeName('srv', 'repo/list'), /^srv__repo_list-[a-z0-9]{6}$/);
  });

  test('is stable: the same name always maps to the same exposed name', () => {
    const name = `${'long'.repeat(20)}.tool`;
    assert.equal(exposeName('srv', name), exposeName('srv', name));
    assert.equal(exposeName('srv', 'files.read'), exposeName('srv', 'files.read'));
  });

  test('keeps names apart that differ only after the cut or only in a replaced character', () => {
    const prefix = 'p'.repeat(80);
    assert.notEqual(exposeName('srv', `${prefix}_one`), exposeName('srv', `${prefix}_two`));
    assert.notEqual(exposeName('srv', 'files.read'), exposeName('srv', 'files/read'));
    // A clean name and a dirty one that sanitises to it never meet.
    assert.notEqual(exposeName('srv', 'files_read'), exposeName('srv', 'files.read'));
  });

  test('still fits with the longest server id and the longest names', () => {
    for (const name of ['x'.repeat(1000), '.'.repeat(300), 'a/b.c'.repeat(50), '.']) {
      const exposed = exposeName(LONGEST_ID, name);
      assert.match(exposed, EXPOSED_NAME, exposed);
      assert.equal(splitExposedName(exposed)?.serverId, LONGEST_ID);
    }
  });

  test('the server id survives shortening, so the name still routes to its server', () => {
    const exposed = exposeName('docs', `${'n'.repeat(70)}`);
    assert.equal(splitExposedName(exposed)?.serverId, 'docs');
  });
});

describe('splitExposedName', () => {
  test('splits at the first separator, so tool names may contain __ themselves', () => {
    assert.deepEqual(splitExposedName('github__create_issue'), { serverId: 'github', rest: 'create_issue' });
    assert.deepEqual(splitExposedName('srv__a__b'), { serverId: 'srv', rest: 'a__b' });
    assert.deepEqual(splitExposedName(exposeName('srv', 'x__y')), { serverId: 'srv', rest: 'x__y' });
  });

  test('refuses names without a server part', () => {
    assert.equal(splitExposedName('create_issue'), undefined);
    assert.equal(splitExposedName('__create_issue'), undefined);
  });
});

describe('exposeUri and splitExposedUri', () => {
  test('round-trip any URI, including ones that contain + themselves', () => {
    for (const uri of ['file:///tmp/a.txt', 'demo://x', 'git+ssh://host/repo', 'https://example.com/a?b=c+d#e', 'twin://item/{id}']) {
      const exposed = exposeUri('docs', uri);
      assert.equal(exposed, `gh-docs+${uri}`);
      assert.deepEqual(splitExposedUri(exposed), { serverId: 'docs', uri });
    }
  });

  test('an exposed URI is still a valid URI scheme', () => {
    assert.doesNotThrow(() => new URL(exposeUri('my-srv', 'demo://x/y')));
    assert.equal(new URL(exposeUri('my-srv', 'demo://x/y')).protocol, 'gh-my-srv+demo:');
  });

  test('refuses URIs that do not carry a server', () => {
    assert.equal(splitExposedUri('demo://x'), undefined);
    assert.equal(splitExposedUri('gh-docs'), undefined);
  });
});
