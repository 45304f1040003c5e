// URLs from server metadata are never handed to a shell. The OAuth and URL-guard code hands the
// consent URL only to the Opener port, as a parsed URL; this checks it has no other way out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..', '..', '..', '..');
const folders = ['main/core/identity/oauth', 'main/core/net'];

test('the oauth mode and the URL guard never import a way to run a process', () => {
  for (const folder of folders) {
    const files = readdirSync(join(root, folder)).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 0, folder);
    for (const file of files) {
      const text = readFileSync(join(root, folder, file), 'utf8');
      assert.doesNotMatch(text, /from ['"](node:)?child_process['"]|import\(['"](node:)?child_process['"]\)|from ['"](open|execa|cross-spawn)['"]|\b(spawn|execFile|execSync|spawnSync)\(/, `${folder}/${file}`);
    }
  }
});

test('the Opener port takes a parsed URL, not a string', () => {
  const port = readFileSync(join(root, 'main/core/ports/opener.ts'), 'utf8');
  assert.match(port, /open\(url: URL\): Promise<void>/);
});
