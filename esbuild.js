// Bundles the extension client, the language server and the CLI into dist/, and the tests into
// out/test/. The tree-sitter wasm files are copied next to the bundles so that a packaged
// extension and `npx rampart` find them without node_modules.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');
const withBench = process.argv.includes('--bench');
const production = process.argv.includes('--production');
const pkg = require('./package.json');
// OUT_DIR lets several builds run side by side (dist/ and out/test/ below it).
const outRoot = process.env.OUT_DIR ? path.resolve(process.env.OUT_DIR) : undefined;
const distDir = outRoot ? path.join(outRoot, 'dist') : 'dist';
const testDir = outRoot ? path.join(outRoot, 'test') : 'out/test';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { RAMPART_VERSION: JSON.stringify(pkg.version) },
  // The ESM build of web-tree-sitter reads import.meta.url, which a CommonJS bundle lacks.
  alias: { 'web-tree-sitter': path.join(__dirname, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
};

const WASM = [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['@tree-sitter-grammars/tree-sitter-hcl', 'tree-sitter-terraform.wasm'],
  ['@tree-sitter-grammars/tree-sitter-yaml', 'tree-sitter-yaml.wasm'],
];

function wasmPath(pkgName, file) {
  // web-tree-sitter does not export its package.json, so resolve from node_modules directly.
  return path.join(__dirname, 'node_modules', pkgName, file);
}

function copyWasm(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [p, f] of WASM) fs.copyFileSync(wasmPath(p, f), path.join(dir, f));
}

function testEntries() {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'fixtures' && e.name !== 'e2e') walk(p);
      else if (e.isFile() && (/\.test\.ts$/.test(e.name) || /^(helpers|fake-llm)\.ts$/.test(e.name))) out.push(p);
    }
  };
  walk(path.join(__dirname, 'test'));
  return out;
}

async function main() {
  const builds = [
    { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: distDir, external: ['vscode'] },
    { ...common, entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts' }, outdir: distDir,
      banner: { js: '#!/usr/bin/env node' } },
  ];
  if (withTests) {
    builds.push({ ...common, sourcemap: true, entryPoints: testEntries(), outdir: testDir, outbase: 'test', external: ['vscode', 'playwright-core'] });
  }
  if (withBench) {
    builds.push({ ...common, sourcemap: true, entryPoints: { run: 'bench/run.ts' }, outdir: outRoot ? path.join(outRoot, 'bench') : 'out/bench' });
  }
  copyWasm(distDir);
  // Hovers and diagnostics link to the rule catalogue shipped next to the server.
  fs.copyFileSync(path.join(__dirname, 'docs', 'rules.md'), path.join(distDir, 'rules.md'));
  if (withBench) copyWasm(outRoot ? path.join(outRoot, 'bench') : 'out/bench');
  if (withTests) copyWasm(testDir);
  if (watch) {
    const ctxs = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(ctxs.map((c) => c.watch()));
    console.log('esbuild: watching');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync(path.join(distDir, 'cli.js'), 0o755);
}

main().catch((e) => { console.error(e); process.exit(1); });
