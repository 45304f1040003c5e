// The four IDEs that reach the broker over HTTP share their merge rules; each is checked here
// against its own file location and entry shape.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isGatehouseError } from '../../../../../common/errors.js';
import { BACKUP_SUFFIX, IDE_WRITERS, type IdeEnvironment, type IdeWriterInput, type JsonObject } from '../../../../../main/core/clients/ide/index.js';
import { modeOf, posixModes, SAMPLE_TOKEN, tempDir } from '../temp-dirs.js';

const MASKED = `Bearer gh_…${SAMPLE_TOKEN.slice(-4)}`;

interface Case {
  readonly kind: 'cursor' | 'vscode' | 'claude-code' | 'windsurf';
  readonly section: string;
  readonly relativePath: string[];
  readonly paths: { linux: string; darwin: string; win32: string };
  entry(url: string, authorization: string): JsonObject;
}

const cases: Case[] = [
  {
    kind: 'cursor',
    section: 'mcpServers',
    relativePath: ['.cursor', 'mcp.json'],
    paths: { linux: '/home/u/.cursor/mcp.json', darwin: '/Users/u/.cursor/mcp.json', win32: 'C:\\Users\\u\\.cursor\\mcp.json' },
    entry: (url, authorization) => ({ url, headers: { Authorization: authorization } }),
  },
  {
    kind: 'vscode',
    section: 'servers',
    relativePath: ['.config', 'Code', 'User', 'mcp.json'],
    paths: {
      linux: '/home/u/.config/Code/User/mcp.json',
      darwin: '/Users/u/Library/Application Support/Code/User/mcp.json',
      win32: 'C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json',
    },
    entry: (url, authorization) => ({ type: 'http', url, headers: { Authorization: authorization } }),
  },
  {
    kind: 'claude-code',
    section: 'mcpServers',
    relativePath: ['.claude.json'],
    paths: { linux: '/home/u/.claude.json', darwin: '/Users/u/.claude.json', win32: 'C:\\Users\\u\\.claude.json' },
    entry: (url, authorization) => ({ type: 'http', url, headers: { Authorization: authorization } }),
  },
  {
    kind: 'windsurf',
    section: 'mcpServers',
    relativePath: ['.codeium', 'windsurf', 'mcp_config.json'],
    paths: {
      linux: '/home/u/.codeium/windsurf/mcp_config.json',
      darwin: '/Users/u/.codeium/windsurf/mcp_config.json',
      win32: 'C:\\Users\\u\\.codeium\\windsurf\\mcp_config.json',
    },
    entry: (serverUrl, authorization) => ({ serverUrl, headers: { Authorization: authorization } }),
  },
];

const AGGREGATE = [{ key: 'gatehouse', url: 'http://127.0.0.1:4319/mcp' }];
const PER_SERVER = [
  { key: 'gatehouse-github', url: 'http://127.0.0.1:4319/mcp/github', serverId: 'github' },
  { key: 'gatehouse-jira', url: 'http://127.0.0.1:4319/mcp/jira', serverId: 'jira' },
];

function input(entries: IdeWriterInput['entries']): IdeWriterInput {
  return { clientName: 'ide', entries, token: SAMPLE_TOKEN, gatehouseCommand: { command: '/usr/bin/gatehouse', args: [] } };
}

async function home(): Promise<IdeEnvironment> {
  return { homedir: await tempDir(), platform: 'linux', env: {} };
}

const readJson = async (file: string): Promise<JsonObject> => JSON.parse(await readFile(file, 'utf8')) as JsonObject;

for (const c of cases) {
  const writer = IDE_WRITERS[c.kind];
  const fileIn = (environment: IdeEnvironment) => path.join(environment.homedir, ...c.relativePath);

  describe(`${c.kind} writer`, () => {
    test('knows its config file on Linux, macOS and Windows', () => {
      assert.equal(writer.configPath({ homedir: '/home/u', platform: 'linux', env: {} }), c.paths.linux);
      assert.equal(writer.configPath({ homedir: '/Users/u', platform: 'darwin', env: {} }), c.paths.darwin);
      const windows = { homedir: 'C:\\Users\\u', platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } };
      assert.equal(writer.configPath(windows), c.paths.win32);
    });

    test('creates the file with our entry, mode 0600, and reports it with the token masked', async () => {
      const environment = await home();
      const result = await writer.write(input(AGGREGATE), environment);
      assert.equal(result.path, fileIn(environment));
      const written = await readJson(fileIn(environment));
      assert.deepEqual(written, { [c.section]: { gatehouse: c.entry(AGGREGATE[0]!.url, `Bearer ${SAMPLE_TOKEN}`) } });
      assert.deepEqual(result.written, { gatehouse: c.entry(AGGREGATE[0]!.url, MASKED) });
      assert.ok(!JSON.stringify(result).includes(SAMPLE_TOKEN), 'result shows the token');
      if (posixModes) assert.equal(await modeOf(fileIn(environment)), 0o600);
    });

    test('merges into an existing file, keeping other keys and servers, and backs it up once', async () => {
      const environment = await home();
      const file = fileIn(environment);
      await mkdir(path.dirname(file), { recursive: true });
      const original = JSON.stringify({ theme: 'dark', [c.section]: { mine: { command: 'x', args: ['--y'] } }, nested: { a: [1, 2] } });
      await writeFile(file, original);
      const result = await writer.write(input(AGGREGATE), environment);
      assert.equal(result.backupPath, file + BACKUP_SUFFIX);
      assert.equal(await readFile(file + BACKUP_SUFFIX, 'utf8'), original);
      const written = await readJson(file);
      assert.equal(written.theme, 'dark');
      assert.deepEqual(written.nested, { a: [1, 2] });
      assert.deepEqual(Object.keys(written[c.section] as JsonObject), ['mine', 'gatehouse']);
      assert.deepEqual((written[c.section] as JsonObject).mine, { command: 'x', args: ['--y'] });

      const again = await writer.write(input(AGGREGATE), environment);
      assert.equal(again.backupPath, undefined);
      assert.equal(await readFile(file + BACKUP_SUFFIX, 'utf8'), original, 'backup is the pre-Gatehouse file');
    });

    test('writes one entry per server and removes the stale aggregate entry, keeping foreign gatehouse-* entries', async () => {
      const environment = await home();
      const file = fileIn(environment);
      await writer.write(input(AGGREGATE), environment);
      const existing = await readJson(file);
      const foreign = { url: 'https://gatehouse.example.com/api', headers: {} };
      (existing[c.section] as JsonObject)['gatehouse-notes'] = foreign;
      await writeFile(file, JSON.stringify(existing));

      const result = await writer.write(input(PER_SERVER), environment);
      assert.deepEqual(result.removed, ['gatehouse']);
      const servers = (await readJson(file))[c.section] as JsonObject;
      assert.deepEqual(Object.keys(servers).sort(), ['gatehouse-github', 'gatehouse-jira', 'gatehouse-notes']);
      assert.deepEqual(servers['gatehouse-jira'], c.entry('http://127.0.0.1:4319/mcp/jira', `Bearer ${SAMPLE_TOKEN}`));
      assert.deepEqual(servers['gatehouse-notes'], foreign);

      await writer.write(input(PER_SERVER.slice(0, 1)), environment);
      const fewer = (await readJson(file))[c.section] as JsonObject;
      assert.deepEqual(Object.keys(fewer).sort(), ['gatehouse-github', 'gatehouse-notes']);
    });

    test('refuses a file that is not valid JSON, names it, and leaves it untouched', async () => {
      const environment = await home();
      const file = fileIn(environment);
      await mkdir(path.dirname(file), { recursive: true });
      const broken = '{ "mcpServers": { "x": { "command": "y" }, }\n  oops';
      await writeFile(file, broken);
      await assert.rejects(writer.write(input(AGGREGATE), environment), (error) => {
        assert.ok(isGatehouseError(error) && error.code === 'GATEHOUSE_CLIENT_INVALID');
        assert.ok(error.message.includes(file) && /not valid JSON/.test(error.message) && /Fix/.test(error.message));
        return true;
      });
      await assert.rejects(writer.check(environment), isGatehouseError);
      assert.equal(await readFile(file, 'utf8'), broken);
      assert.deepEqual(await readdir(path.dirname(file)), [path.basename(file)]);
    });

    test(`refuses a file whose "${c.section}" is not an object`, async () => {
      const environment = await home();
      const file = fileIn(environment);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify({ [c.section]: ['x'] }));
      await assert.rejects(writer.write(input(AGGREGATE), environment), new RegExp(`"${c.section}" in .* must be an object`));
    });

    test('writes through a symlinked config file instead of replacing the link', { skip: !posixModes }, async () => {
      const environment = await home();
      const file = fileIn(environment);
      const real = path.join(environment.homedir, 'dotfiles', 'real.json');
      await mkdir(path.dirname(real), { recursive: true });
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(real, '{}');
      await symlink(real, file);
      await writer.write(input(AGGREGATE), environment);
      assert.ok(Object.hasOwn((await readJson(real))[c.section] as JsonObject, 'gatehouse'));
    });
  });
}

test('claude-code honours CLAUDE_CONFIG_DIR', () => {
  const environment = { homedir: '/home/u', platform: 'linux' as const, env: { CLAUDE_CONFIG_DIR: '/cfg/claude' } };
  assert.equal(IDE_WRITERS['claude-code'].configPath(environment), '/cfg/claude/.claude.json');
});

test('an empty file is treated like a missing one', async () => {
  const environment = await home();
  const file = path.join(environment.homedir, '.cursor', 'mcp.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '\uFEFF\n');
  await IDE_WRITERS.cursor.write(input(AGGREGATE), environment);
  assert.deepEqual(Object.keys((await readJson(file)).mcpServers as JsonObject), ['gatehouse']);
});
