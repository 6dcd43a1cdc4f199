#!/usr/bin/env bash
# Installs what the editor end-to-end tests need, all of it from Debian and
# npm (this machine reaches nothing else):
#   - Debian: chromium (driven by playwright-core), neovim 0.7 (headless LSP
#     test), pre-commit (e2e/ci/pre-commit.test.ts), ripgrep and the headers
#     code-server's native modules build against;
#   - code-server 4.100.3 (the last release that runs on Node 20) under
#     .e2e/code-server, git-ignored, following the recipe in DESIGN.md: its
#     postinstall refuses root and downloads ripgrep, so we run its steps by hand.
# Idempotent: a second run checks two markers and returns in about a second.
# Nothing is cached outside the repo: npm's cache for this lives in .e2e/npm-cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
E2E=$ROOT/.e2e
CODE_SERVER_VERSION=4.100.3
mkdir -p "$E2E"
export npm_config_cache=$E2E/npm-cache npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log() { printf '[e2e-install] %s\n' "$*"; }

# --- Debian packages ------------------------------------------------------
DEBS=(chromium neovim ripgrep pre-commit build-essential python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  # Other jobs on the machine may hold the dpkg lock: wait for it instead of failing.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present"
fi

# --- code-server ----------------------------------------------------------
CS=$E2E/code-server
MARKER=$CS/.installed-$CODE_SERVER_VERSION
if [[ -f $MARKER ]]; then
  log "code-server $CODE_SERVER_VERSION present"
  exit 0
fi
log "installing code-server $CODE_SERVER_VERSION into .e2e/code-server"
rm -rf "$CS"
mkdir -p "$CS"
printf '{ "name": "irsa-e2e-code-server", "private": true }\n' >"$CS/package.json"
(cd "$CS" && npm install --ignore-scripts --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
PKG=$CS/node_modules/code-server
# argon2 (password hashing; unused with --auth none, but loaded at start) is hoisted beside code-server.
(cd "$CS" && npm rebuild argon2 --loglevel=error >/dev/null)

VS=$PKG/lib/vscode
(cd "$VS" && npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null)
# @vscode/ripgrep's postinstall would download rg from GitHub: use Debian's.
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sf /usr/bin/rg "$VS/node_modules/@vscode/ripgrep/bin/rg"
# Native modules (node-pty, spdlog, kerberos, …): build those that have a binding.gyp.
natives=()
while IFS= read -r gyp; do
  natives+=("$(node -p "require('$VS/$(dirname "$gyp")/package.json').name")")
done < <(cd "$VS" && find node_modules -maxdepth 3 -name binding.gyp -not -path 'node_modules/*/node_modules/*')
if ((${#natives[@]})); then
  log "rebuilding ${natives[*]}"
  # node-pty's postinstall ends with `npx node-gyp configure`, which needs a yes.
  (cd "$VS" && npm_config_yes=true npm rebuild --loglevel=error "${natives[@]}" >/dev/null)
fi
ln -sfn node_modules "$VS/node_modules.asar"
ln -sf code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sf browser-linux.sh "$VS/bin/helpers/browser.sh"
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null)
touch "$MARKER"
log "code-server ready ($(du -sh "$CS" | cut -f1))"
