#!/usr/bin/env bash
# Installs what the end-to-end test (test/e2e.test.ts) needs on a clean CI machine: Debian's
# Chromium, code-server (a real VS Code workbench) in a cache folder outside node_modules, and
# playwright-core (a devDependency, installed by `npm ci`). Idempotent and non-interactive; it uses
# only the npm registry and Debian's packages.
#
#   RAMPART_E2E_HOME   where code-server goes (default: $HOME/.cache/rampart-e2e)
set -euo pipefail
cd "$(dirname "$0")/../.."

CODE_SERVER_VERSION=4.100.3        # the last release whose engines.node accepts Node 20
RIPGREP_PIN=1.15.11                # @vscode/ripgrep version pinned by code-server 4.100.3
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
E2E_HOME="${RAMPART_E2E_HOME:-$HOME/.cache/rampart-e2e}"
CS_PREFIX="$E2E_HOME/code-server"
CS_BIN="$CS_PREFIX/node_modules/.bin/code-server"
start=$(date +%s)
log() { echo "== e2e setup: $*"; }
# `code-server --version` writes a default config file: keep that out of the home folder.
cs_version() {
  local t; t="$(mktemp -d)"
  XDG_CONFIG_HOME="$t" XDG_DATA_HOME="$t" "$CS_BIN" --version 2>/dev/null | grep -E '^[0-9]+\.' | head -1 || true
  rm -rf "$t"
}

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# 1. Debian packages: chromium (the browser playwright-core drives) and libkrb5-dev (headers for
#    code-server's native `kerberos` module).
missing=()
for p in chromium libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "chromium and libkrb5-dev already installed"
fi
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: not runnable')"

# 2. code-server, outside the repository's node_modules.
if [ -x "$CS_BIN" ] && [ "$(cs_version | cut -d' ' -f1)" = "$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION already in $CS_PREFIX"
else
  log "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (a few minutes)"
  mkdir -p "$CS_PREFIX"
  # Its pinned @vscode/ripgrep downloads rg from GitHub at install time, which this network cannot
  # reach; it accepts a pre-filled cache instead. The rg binary ships in the registry package
  # @vscode/ripgrep-linux-x64, so take it from there and pack it the way the download would be.
  work_tmp="$(mktemp -d)"
  trap 'rm -rf "$work_tmp"' EXIT
  rg_cache="$work_tmp/vscode-ripgrep-cache-$RIPGREP_PIN"
  mkdir -p "$rg_cache" "$work_tmp/rg"
  (cd "$work_tmp/rg" && npm pack --silent @vscode/ripgrep-linux-x64 >/dev/null && tar xzf ./*.tgz)
  rg_bin="$(find "$work_tmp/rg/package" -type f -name rg | head -1)"
  if [ -z "$rg_bin" ]; then echo "e2e setup: no rg binary in @vscode/ripgrep-linux-x64" >&2; exit 1; fi
  chmod +x "$rg_bin"
  tar czf "$rg_cache/$RIPGREP_ASSET" -C "$(dirname "$rg_bin")" rg
  # Native modules build against the machine's Node headers, never downloaded ones.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
  TMPDIR="$work_tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --prefix "$CS_PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    "code-server@$CODE_SERVER_VERSION"
  rm -rf "$work_tmp"
  trap - EXIT
  log "code-server $(cs_version)"
fi

# 3. playwright-core comes from the repository's devDependencies (`npm ci` installed it).
if [ ! -d node_modules/playwright-core ]; then
  log "node_modules/playwright-core missing: npm install"
  npm install --no-audit --no-fund
fi
log "playwright-core $(node -p "require('playwright-core/package.json').version")"
log "done in $(( $(date +%s) - start ))s (code-server: $CS_BIN)"
