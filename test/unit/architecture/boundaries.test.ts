import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

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
