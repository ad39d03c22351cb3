// The scenarios of test/e2e.test.ts, through the VS Code API inside the extension host.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const root = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const rampart = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Rampart');

async function waitFor(what, fn, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run() {
  const main = vscode.Uri.file(path.join(root(), 'main.tf'));
  const doc = await vscode.workspace.openTextDocument(main);
  const editor = await vscode.window.showTextDocument(doc);

  // 1. a squiggle after typing acl = "public-read"
  const line = doc.lineAt(2);
  await editor.edit((e) => e.replace(line.range, '  acl    = "public-read"'));
  const diag = await waitFor('a Rampart diagnostic on main.tf', () => rampart(main).find((d) => d.code?.value === 'aws-s3-no-public-acl' || d.code === 'aws-s3-no-public-acl'));

  // 2. findings from both files
  const dep = vscode.Uri.file(path.join(root(), 'k8s', 'deployment.yaml'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(dep), { preview: false });
  await waitFor('a finding on the Deployment', () => rampart(dep).length > 0);
  await vscode.window.showTextDocument(doc);

  // 3. the hover explains the impact
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', main, diag.range.start);
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /What an attacker gains/);

  // 4. the preferred quick fix changes the text and the problem goes away
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', main, diag.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix, 'no preferred quick fix');
  await vscode.workspace.applyEdit(fix.edit);
  assert.match(doc.getText(), /acl {4}= "private"/);
  await waitFor('the finding to disappear', () => !rampart(main).some((d) => (d.code?.value ?? d.code) === 'aws-s3-no-public-acl'));

  // 5. Explain Risk opens its panel
  await editor.edit((e) => e.replace(doc.lineAt(2).range, '  acl    = "public-read"'));
  const again = await waitFor('the finding again', () => rampart(main).find((d) => (d.code?.value ?? d.code) === 'aws-s3-no-public-acl'));
  editor.selection = new vscode.Selection(again.range.start, again.range.start);
  await vscode.commands.executeCommand('rampart.explainRisk');
  await waitFor('the Explain Risk panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.startsWith('Rampart:')));

  // 6. Scan Workspace reports a file that was never opened
  const archive = vscode.Uri.file(path.join(root(), 'legacy', 'archive.tf'));
  assert.equal(rampart(archive).length, 0);
  void vscode.commands.executeCommand('rampart.scanWorkspace');
  await waitFor('findings on the unopened file', () => rampart(archive).length > 0, 60000);
}

module.exports = { run };
