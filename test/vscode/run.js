// Extension-host tests with @vscode/test-electron, for contributors with a network connection:
// it downloads VS Code. CI cannot download it and covers the same scenarios with code-server in
// test/e2e.test.ts. Run: npm run test:vscode
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

async function main() {
  let runTests;
  try {
    ({ runTests } = require('@vscode/test-electron'));
  } catch {
    console.error('npm run test:vscode needs @vscode/test-electron (a devDependency): run npm ci first');
    process.exit(2);
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-vscode-'));
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  await runTests({
    extensionDevelopmentPath: path.resolve(__dirname, '..', '..'),
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
