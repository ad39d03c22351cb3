// End-to-end test: the packaged extension (.vsix) in a real VS Code workbench (code-server from the
// npm registry), driven in Debian's headless Chromium with playwright-core, offline.
//
// Runs when CI or RAMPART_E2E is set (`npm run test:e2e`); `test/e2e/setup.sh` installs Chromium and
// code-server first. Screenshots of each step go to test-results/e2e/; the four that document the
// extension are copied to docs/images/.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
const DOC_IMAGES = path.join(ROOT, 'docs', 'images');
const E2E_HOME = process.env['RAMPART_E2E_HOME'] ?? path.join(os.homedir(), '.cache', 'rampart-e2e');
const CODE_SERVER = process.env['RAMPART_CODE_SERVER'] ?? path.join(E2E_HOME, 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env['RAMPART_CHROMIUM'] ?? '/usr/bin/chromium';
const ENABLED = !!process.env['CI'] || !!process.env['RAMPART_E2E'];

// ------------------------------------------------------------------ the scratch workspace

const MAIN_TF = `# Rampart end-to-end fixture: deliberately insecure.
resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  description       = "SSH for the admins"
  security_group_id = "sg-0123456789abcdef0"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
`;
/** Typed into main.tf after the `bucket = ...` line (line 3), so it becomes line 4. */
const ACL_LINE = 'acl    = "public-read"';
const ACL_LINE_NO = 4;

const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 1
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: web
          image: example/shop:1.0
          securityContext:
            privileged: true
`;

/** Never opened in the editor: only the workspace scan sees it. */
const UNOPENED_TF = `resource "aws_s3_bucket" "archive" {
  bucket = "acme-archive"
  acl    = "public-read-write"
}
`;

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingBrackets': 'never',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

// ------------------------------------------------------------------ helpers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeout ?? 120_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Files below dir whose path matches re. */
function findFiles(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (re.test(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Monaco renders spaces as non-breaking spaces. */
function plain(s: string): string {
  return s.replace(/\u00a0/g, ' ');
}

/**
 * Builds the extension like `npm run package` does (production esbuild, then vsce with
 * --no-dependencies), but into a scratch folder so that dist/ of the work tree is left alone.
 */
function buildVsix(scratch: string, notes: string[]): string {
  const build = path.join(scratch, 'build');
  let r = run(process.execPath, ['esbuild.js', '--production'], { env: { ...process.env, OUT_DIR: build } });
  assert.equal(r.code, 0, `esbuild failed:\n${r.out}`);
  const stage = path.join(scratch, 'stage');
  fs.mkdirSync(path.join(stage, 'dist'), { recursive: true });
  for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
  }
  for (const d of ['media', 'syntaxes']) fs.cpSync(path.join(ROOT, d), path.join(stage, d), { recursive: true });
  fs.cpSync(path.join(build, 'dist'), path.join(stage, 'dist'), { recursive: true });
  const vsix = path.join(scratch, 'rampart.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  r = run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { cwd: stage });
  if (r.code !== 0) {
    // Publishing checks (repository links, the secret scanner) are not what this test is about:
    // say so loudly and package anyway, so the behaviour of the extension is still tested.
    notes.push(`vsce package (as in npm run package) failed; packaged again with publishing checks relaxed:\n${tail(r.out, 15)}`);
    r = run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository',
      '--baseContentUrl', 'https://rampart.invalid/', '--baseImagesUrl', 'https://rampart.invalid/',
      '--allow-package-secrets', 'privatekey', '--out', vsix], { cwd: stage });
  }
  assert.equal(r.code, 0, `vsce package failed:\n${r.out}`);
  return vsix;
}

// ------------------------------------------------------------------ the suite

describe('Rampart in a real VS Code (code-server + Chromium)', {
  skip: ENABLED ? false : 'end-to-end test: set CI or RAMPART_E2E=1 (npm run test:e2e) to run it',
  timeout: 5 * 60_000,
}, () => {
  let scratch = '';
  let ws = '';
  let userData = '';
  let csLog = '';
  let codeServer: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let failed = false;
  let shot = 0;
  const consoleErrors: string[] = [];
  const notes: string[] = [];

  async function screenshot(name: string, docName?: string): Promise<string> {
    const file = path.join(RESULTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    if (docName) {
      fs.mkdirSync(DOC_IMAGES, { recursive: true });
      fs.copyFileSync(file, path.join(DOC_IMAGES, docName));
    }
    return file;
  }

  /** Runs one step; on failure takes a screenshot and marks the suite failed (logs are dumped at the end). */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      failed = true;
      if (context) await screenshot(`FAILED-${name}`).then((f) => console.error(`screenshot of the failure: ${f}`), () => undefined);
      throw e;
    }
  }

  // ---- workbench helpers

  const activeEditor = () => page.locator('.part.editor .editor-group-container.active .monaco-editor').first();

  async function runCommand(label: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
  }

  async function quickOpen(file: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input[type="text"]').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(file);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: path.basename(file) }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
    await page.locator('.part.editor .tab.active').filter({ hasText: path.basename(file) }).waitFor({ timeout: 15_000 });
    await activeEditor().locator('.view-lines').waitFor({ timeout: 15_000 });
  }

  /** Puts the cursor at line:column (1-based) of the active editor. */
  async function goTo(line: number, column = 1): Promise<void> {
    await activeEditor().locator('.view-lines').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input[type="text"]').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The rendered line of the active editor whose text contains `text`. */
  function editorLine(text: string): Locator {
    return activeEditor().locator('.view-lines .view-line').filter({ hasText: text }).first();
  }

  /** Squiggles of the active editor that sit on the same rendered row as `line`. */
  async function squigglesOn(line: Locator): Promise<Locator[]> {
    const box = await line.boundingBox();
    if (!box) return [];
    const found: Locator[] = [];
    for (const s of await activeEditor().locator('.squiggly-error, .squiggly-warning').all()) {
      const b = await s.boundingBox();
      if (b && b.width > 0 && b.y + b.height / 2 >= box.y && b.y + b.height / 2 <= box.y + box.height) found.push(s);
    }
    return found;
  }

  async function waitFor(what: string, cond: () => Promise<boolean>, timeout = 30_000): Promise<void> {
    const end = Date.now() + timeout;
    for (;;) {
      if (await cond().catch(() => false)) return;
      if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await sleep(250);
    }
  }

  async function showProblems(): Promise<Locator> {
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    return panel;
  }

  /** Hides the bottom panel (Problems), so that the editor has room in the screenshots. */
  async function hidePanel(): Promise<void> {
    const panel = page.locator('.part.panel');
    if (await panel.isVisible()) {
      await page.keyboard.press('Control+J');
      await panel.waitFor({ state: 'hidden', timeout: 10_000 });
    }
  }

  /** Filters the Problems panel by text and returns the texts of the rows it then shows. */
  async function problemRows(filter: string): Promise<string[]> {
    const panel = await showProblems();
    const input = page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
    await input.click(); // a real click: fails if a menu is still open instead of typing elsewhere
    await input.fill(filter);
    await sleep(400); // the filter is applied after a short delay
    return (await panel.locator('.monaco-list-row').allInnerTexts()).map(plain);
  }

  // ---- lifecycle

  before(async () => {
    try {
      await start();
    } catch (e) {
      failed = true;
      if (context) await screenshot('FAILED-start').catch(() => undefined);
      throw e;
    }
  }, { timeout: 180_000 });

  async function start(): Promise<void> {
    fs.rmSync(RESULTS, { recursive: true, force: true });
    fs.mkdirSync(RESULTS, { recursive: true });
    assert.ok(fs.existsSync(CODE_SERVER), `code-server not found at ${CODE_SERVER}: run bash test/e2e/setup.sh`);
    assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: run bash test/e2e/setup.sh`);
    const { chromium } = await import('playwright-core');

    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-e2e-'));
    const t0 = Date.now();
    const vsix = buildVsix(scratch, notes);
    for (const n of notes) console.log(`note: ${n}`);

    // The scratch workspace.
    ws = path.join(scratch, 'workspace');
    const files: Record<string, string> = {
      'main.tf': MAIN_TF,
      'k8s/deployment.yaml': DEPLOYMENT_YAML,
      'legacy/archive.tf': UNOPENED_TF,
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    }

    // code-server with its own state, all inside the scratch folder.
    userData = path.join(scratch, 'user-data');
    const extensions = path.join(scratch, 'extensions');
    const xdg = path.join(scratch, 'xdg');
    const tmp = path.join(scratch, 'tmp');
    for (const d of [userData, extensions, tmp, path.join(userData, 'User')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    const port = await freePort();
    const config = path.join(scratch, 'code-server.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data'), XDG_CACHE_HOME: path.join(xdg, 'cache'),
      TMPDIR: tmp,
    };
    const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
    const inst = run(CODE_SERVER, [...common, '--install-extension', vsix, '--force'], { env, timeout: 120_000 });
    assert.equal(inst.code, 0, `code-server --install-extension failed:\n${inst.out}`);
    assert.ok(fs.readdirSync(extensions).some((d) => d.startsWith('rampart.rampart')), `the extension is not in ${extensions}:\n${inst.out}`);

    csLog = path.join(scratch, 'code-server.log');
    const logFd = fs.openSync(csLog, 'a');
    codeServer = spawn(CODE_SERVER, [...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened', ws], { env, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('code-server /healthz', async () => (await fetch(`${url}/healthz`)).ok, 30_000);

    context = await chromium.launchPersistentContext(path.join(scratch, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    context.setDefaultTimeout(20_000);
    page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: 'main.tf' }).waitFor({ timeout: 60_000 });
    console.log(`workbench ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (build, install, start)`);
  }

  after(async () => {
    if (failed) {
      console.error(`\n---- e2e failed: scratch folder kept at ${scratch}`);
      if (csLog && fs.existsSync(csLog)) console.error(`---- code-server log (last 80 lines):\n${tail(fs.readFileSync(csLog, 'utf8'), 80)}`);
      for (const f of findFiles(userData || scratch, /Rampart[^/]*\.log$|rampart[^/]*\.log$/)) {
        console.error(`---- ${f} (last 80 lines):\n${tail(fs.readFileSync(f, 'utf8'), 80)}`);
      }
      for (const f of findFiles(userData || scratch, /exthost\.log$|remoteexthost\.log$/)) {
        console.error(`---- ${f} (last 40 lines):\n${tail(fs.readFileSync(f, 'utf8'), 40)}`);
      }
      if (consoleErrors.length) console.error(`---- browser console errors (last 20):\n${consoleErrors.slice(-20).join('\n')}`);
    }
    await context?.close().catch(() => undefined);
    if (codeServer?.pid && codeServer.exitCode === null) {
      const pid = codeServer.pid;
      const exited = new Promise<void>((r) => codeServer!.once('exit', () => r()));
      try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
      await Promise.race([exited, sleep(5000)]);
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (!failed && page && scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  // ---- the steps

  it('1. typing acl = "public-read" into an aws_s3_bucket makes a squiggle appear', () => step('squiggle', async () => {
    // The Deployment is opened first so that its findings are in the Problems panel too.
    await quickOpen('deployment.yaml');
    await waitFor('a squiggle in deployment.yaml', async () => (await activeEditor().locator('.squiggly-error, .squiggly-warning').count()) > 0);
    await quickOpen('main.tf');
    await goTo(3);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(ACL_LINE, { delay: 15 });
    const line = editorLine('public-read');
    await line.waitFor();
    assert.equal(plain(await line.innerText()).trim(), ACL_LINE);
    await waitFor('a squiggle on the acl line', async () => (await squigglesOn(line)).length > 0);
    await page.mouse.move(1300, 850); // no hover in the picture
    await screenshot('squiggle', 'squiggle.png');
  }));

  it('2. the Problems panel lists findings from main.tf and the Deployment YAML', () => step('problems', async () => {
    await showProblems();
    await problemRows('');
    await screenshot('problems');
    const tf = await problemRows('main.tf');
    assert.ok(tf.some((r) => r.includes('main.tf')), `no main.tf row in Problems: ${JSON.stringify(tf)}`);
    assert.ok(tf.some((r) => r.includes('aws-s3-no-public-acl')), `no aws-s3-no-public-acl finding in Problems: ${JSON.stringify(tf)}`);
    const yaml = await problemRows('deployment.yaml');
    assert.ok(yaml.some((r) => r.includes('deployment.yaml')), `no deployment.yaml row in Problems: ${JSON.stringify(yaml)}`);
    const priv = await problemRows('k8s-no-privileged-containers');
    assert.ok(priv.some((r) => r.includes('deployment.yaml')) && priv.some((r) => /Rampart/.test(r)),
      `no k8s-no-privileged-containers finding for deployment.yaml: ${JSON.stringify(priv)}`);
    await screenshot('problems-privileged');
    await problemRows('');
    await hidePanel();
  }));

  it('3. hovering the squiggle shows the impact ("What an attacker gains")', () => step('hover', async () => {
    await page.keyboard.press('Escape');
    const line = editorLine('public-read');
    const [sq] = await squigglesOn(line);
    assert.ok(sq, 'no squiggle on the acl line');
    const box = (await sq.boundingBox())!;
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'What an attacker gains' }).first();
    // The text layer is above the squiggle: move the real mouse onto it rather than locator.hover().
    for (let attempt = 0; attempt < 3 && !(await hover.isVisible()); attempt++) {
      await page.mouse.move(box.x + box.width / 2 - 15, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      await hover.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await hover.waitFor({ state: 'visible', timeout: 5_000 });
    const text = plain(await hover.innerText());
    assert.match(text, /What an attacker gains/);
    assert.match(text, /aws-s3-no-public-acl/);
    await sleep(500); // the hover fades in
    await screenshot('hover', 'hover.png');
    await page.mouse.move(1300, 850);
    await page.keyboard.press('Escape');
  }));

  it('4. the quick fix sets acl = "private" and the problem disappears', () => step('quickfix', async () => {
    await goTo(ACL_LINE_NO, ACL_LINE.indexOf('"') + 2);
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget').first();
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    const fix = widget.locator('.monaco-list-row').filter({ hasText: /^\s*Rampart: / }).first();
    await fix.waitFor({ state: 'visible', timeout: 10_000 });
    // The menu puts a pointer block over the page: choose with the keyboard. The preferred action
    // comes focused; move to the Rampart fix if something else is.
    const focused = widget.locator('.monaco-list-row.focused');
    for (let i = 0; i < 10 && !/^\s*Rampart: /.test(await focused.innerText().catch(() => '')); i++) await page.keyboard.press('ArrowDown');
    const title = plain(await focused.innerText()).trim();
    assert.match(title, /^Rampart: .*private/, `the focused quick fix is "${title}"`);
    await screenshot('quickfix-menu', 'quickfix.png');
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
    const fixed = editorLine('acl');
    await waitFor('acl = "private"', async () => /^\s*acl\s*=\s*"private"\s*$/.test(plain(await fixed.innerText())), 10_000);
    await waitFor('the aws-s3-no-public-acl problem to disappear',
      async () => !(await problemRows('aws-s3-no-public-acl')).some((r) => r.includes('aws-s3-no-public-acl')), 15_000);
    assert.equal((await squigglesOn(editorLine('"private"'))).length, 0, 'a squiggle is still on the fixed acl line');
    await screenshot('quickfix-applied');
    await problemRows('');
    await hidePanel();
  }));

  it('5. "Rampart: Explain Risk" on a finding opens its panel', () => step('explain', async () => {
    const lines = MAIN_TF.split('\n');
    const cidrIdx = lines.findIndex((l) => l.includes('0.0.0.0/0'));
    // +1 for 1-based lines, +1 for the acl line typed above.
    await goTo(cidrIdx + 2, lines[cidrIdx]!.indexOf('0.0.0.0') + 1);
    await runCommand('Rampart: Explain Risk');
    const tab = page.locator('.part.editor .tab').filter({ hasText: /^\s*Rampart: / }).first();
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    const title = plain(await tab.innerText()).trim();
    assert.match(title, /SSH|internet|Security group/i, `unexpected panel title "${title}"`);
    // Bonus: the webview's content (nested iframes).
    let content = '';
    await waitFor('the Explain Risk webview content', async () => {
      for (const f of page.frames()) {
        // textContent: the headings are upper-cased by CSS, which innerText would reflect.
        const body = (await f.locator('body').textContent({ timeout: 1000 }).catch(() => '')) ?? '';
        if (body.includes('What an attacker gains')) { content = body; return true; }
      }
      return false;
    }, 20_000);
    assert.match(content, /aws-ec2-no-public-ssh-rdp|SSH/);
    await page.mouse.move(700, 880);
    await sleep(300);
    await screenshot('explain', 'explain.png');
  }));

  it('6. "Rampart: Scan Workspace" reports findings for a file that was never opened', () => step('scan', async () => {
    const before = await problemRows('archive.tf');
    assert.ok(!before.some((r) => r.includes('archive.tf')), `archive.tf is in Problems before the scan: ${JSON.stringify(before)}`);
    await problemRows('');
    await quickOpen('main.tf');
    await runCommand('Rampart: Scan Workspace');
    const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Rampart: \d+ findings?/ }).first();
    await toast.waitFor({ state: 'visible', timeout: 60_000 });
    const summary = plain(await toast.innerText());
    assert.match(summary, /Rampart: \d+ findings? \(.*\) in \d+ files/);
    await sleep(500); // the toast slides in
    await screenshot('scan-notification');
    const progress = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'scanning workspace' });
    await waitFor('the "scanning workspace" progress notification to close', async () => (await progress.count()) === 0, 10_000);
    await toast.locator('.monaco-button, a.monaco-button').filter({ hasText: 'Open Problems' }).first().click();
    await waitFor('archive.tf in the Problems panel', async () => (await problemRows('archive.tf')).some((r) => r.includes('archive.tf')), 15_000);
    const rows = await problemRows('archive.tf');
    assert.ok(rows.some((r) => r.includes('aws-s3-no-public-acl')), `archive.tf has no aws-s3-no-public-acl finding: ${JSON.stringify(rows)}`);
    await screenshot('scan-problems');
    await problemRows('');
  }));
});
