import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { buildPreloadBundle } from '../../helpers/preload-bundle.js';

const root = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry)) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');
const isNode = (spec: string) => spec.startsWith('node:');

/** Resolves a relative import of `file` to a repository path (no extension), or undefined for a package. */
function resolved(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(root, join(root, dirname(file), spec)).replace(/\.js$/, '');
}

test('only main/electron and preload import electron', () => {
  const offenders: string[] = [];
  for (const dir of ['common', 'main/core', 'main/host', 'main/headless', 'renderer', 'scripts', 'test']) {
    for (const file of sourceFiles(dir)) for (const spec of importsOf(file)) if (isElectron(spec)) offenders.push(`${file} imports ${spec}`);
  }
  assert.deepEqual(offenders, []);
});

test('preload imports only electron, common/ and its own files', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles('preload')) {
    for (const spec of importsOf(file)) {
      const target = resolved(file, spec);
      const allowed = spec === 'electron' || (target !== undefined && (target.startsWith('common/') || target.startsWith('preload/')));
      if (!allowed) offenders.push(`${file} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('nothing outside main/electron imports it: the core and the CLI run without the desktop host', () => {
  const offenders: string[] = [];
  for (const dir of ['common', 'main/core', 'main/host', 'main/headless', 'preload', 'renderer']) {
    for (const file of sourceFiles(dir)) {
      for (const spec of importsOf(file)) if (resolved(file, spec)?.startsWith('main/electron/')) offenders.push(`${file} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('each host imports only the core and what both hosts share (main/host), never the other host; the core imports neither', () => {
  const offenders: string[] = [];
  const forbidden: Record<string, string[]> = {
    'main/core': ['main/host/', 'main/headless/', 'main/electron/'],
    'main/host': ['main/headless/', 'main/electron/'],
    'main/electron': ['main/headless/'],
  };
  for (const [dir, targets] of Object.entries(forbidden)) {
    for (const file of sourceFiles(dir)) {
      for (const spec of importsOf(file)) {
        const target = resolved(file, spec);
        if (target !== undefined && targets.some((t) => target.startsWith(t))) offenders.push(`${file} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the preload bundle (npm run build:preload) is CommonJS holding only preload/ and common/, with electron its one require', async () => {
  const result = await buildPreloadBundle();
  const inputs = Object.keys(result.metafile.inputs).map((input) => relative(root, join(root, input)));
  assert.deepEqual(inputs.filter((input) => !input.startsWith('preload/') && !input.startsWith('common/')), []);
  const text = result.outputFiles[0]!.text;
  assert.deepEqual([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]), ['electron']);
  assert.doesNotMatch(text, /^\s*(import|export)\s/m);
  // Small because it holds no schema library: the main process validates every call.
  assert.ok(text.length < 8_000, `${text.length} bytes`);
});

test('main/core and common never import electron', () => {
  for (const file of [...sourceFiles('main/core'), ...sourceFiles('common')]) {
    for (const spec of importsOf(file)) assert.ok(!isElectron(spec), `${file} imports ${spec}`);
  }
});

test('common imports no Node built-ins, so the renderer can share it', () => {
  for (const file of sourceFiles('common')) {
    for (const spec of importsOf(file)) assert.ok(!isNode(spec), `${file} imports ${spec}`);
  }
});

test('renderer never imports node:* or electron', () => {
  for (const file of sourceFiles('renderer')) {
    for (const spec of importsOf(file)) assert.ok(!isNode(spec) && !isElectron(spec), `${file} imports ${spec}`);
  }
});

test('the bundled headless CLI pulls in no electron module, so the core runs in plain Node', async () => {
  const result = await build({
    entryPoints: [join(root, 'main/headless/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    packages: 'bundle',
    external: ['better-sqlite3', '@napi-rs/keyring', 'electron'],
  });
  const offenders: string[] = [];
  for (const [input, meta] of Object.entries(result.metafile.inputs)) {
    for (const imp of meta.imports) if (isElectron(imp.path)) offenders.push(`${relative(root, input)} -> ${imp.path}`);
  }
  assert.deepEqual(offenders, []);
});
