#!/usr/bin/env bash
# Idempotent, cached install of code-server (VS Code in the browser) for lbguard's e2e tests.
#
#   test/harness/vscode/install-code-server.sh          # install (or confirm the cached install)
#   LBGUARD_CACHE=/some/dir test/harness/vscode/install-code-server.sh
#
# Installs into ${LBGUARD_CACHE:-$HOME/.cache/lbguard}/code-server-4.100.3 and writes the marker
# file .lbguard-install-complete there as the very last step; a folder without the marker is
# treated as a broken half-install and rebuilt from scratch.
#
# Needs (Debian): nodejs 20 + npm, ripgrep, libkrb5-dev, python3, make, g++.
# Needs network access to the npm registry only (no GitHub downloads: the postinstall scripts
# that would download ripgrep are skipped and ripgrep comes from Debian).
set -euo pipefail

CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${LBGUARD_CACHE:-$HOME/.cache/lbguard}"
DEST="$CACHE_ROOT/code-server-$CS_VERSION"
MARKER="$DEST/.lbguard-install-complete"

STEP="start"
T0=$(date +%s)
log() { printf '[install-code-server] %s\n' "$*" >&2; }
fail() { log "FAILED at step '$STEP' (after $(( $(date +%s) - T0 ))s): $*"; exit 1; }
trap 'rc=$?; if [ $rc -ne 0 ]; then log "FAILED at step: $STEP (exit $rc, after $(( $(date +%s) - T0 ))s). Install folder left incomplete: $DEST"; fi' EXIT
step() {
  STEP="$1"
  STEP_T0=$(date +%s)
  log "step: $STEP"
}
step_done() { log "  done in $(( $(date +%s) - STEP_T0 ))s"; }

if [ -f "$MARKER" ]; then
  log "already installed: $DEST ($(cat "$MARKER")) — nothing to do (0s)"
  exit 0
fi

# ---- preflight --------------------------------------------------------------------------------
step "preflight (node, npm, ripgrep, libkrb5-dev, build tools)"
command -v node >/dev/null || fail "node is not on PATH"
command -v npm >/dev/null || fail "npm is not on PATH"
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" = "20" ] || log "  warning: code-server $CS_VERSION is built for Node 20; this is Node $(node -v)"
RG="$(command -v rg || true)"
[ -n "$RG" ] || fail "ripgrep is missing: apt-get install -y ripgrep"
[ -f /usr/include/krb5.h ] || [ -f /usr/include/gssapi/gssapi.h ] || [ -d /usr/include/krb5 ] \
  || fail "Kerberos headers are missing (native 'kerberos' module): apt-get install -y libkrb5-dev"
for t in python3 make g++; do
  command -v "$t" >/dev/null || fail "$t is missing (needed by node-gyp): apt-get install -y python3 make g++"
done
step_done

# Non-interactive npm, fit for CI and root.
export npm_config_yes=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
export npm_config_progress=false
export npm_config_loglevel="${npm_config_loglevel:-warn}"
# Build native modules against the local Node headers instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
export CI="${CI:-true}"

# ---- fetch ------------------------------------------------------------------------------------
step "clean previous incomplete install"
mkdir -p "$CACHE_ROOT"
rm -rf "$DEST" "$DEST.tmp"
mkdir -p "$DEST.tmp"
step_done

step "npm pack code-server@$CS_VERSION"
( cd "$DEST.tmp" && npm pack "code-server@$CS_VERSION" --silent >/dev/null ) \
  || fail "npm pack code-server@$CS_VERSION (is the npm registry reachable?)"
TGZ=$(ls "$DEST.tmp"/code-server-*.tgz 2>/dev/null | head -1)
[ -n "$TGZ" ] || fail "npm pack produced no tarball"
step_done

step "unpack tarball"
tar -xzf "$TGZ" -C "$DEST.tmp" || fail "tar -xzf $TGZ"
rm -f "$TGZ"
mv "$DEST.tmp/package" "$DEST"
rm -rf "$DEST.tmp"
step_done

# ---- dependencies -----------------------------------------------------------------------------
step "npm install (code-server root, --omit=dev --ignore-scripts)"
( cd "$DEST" && npm install --omit=dev --ignore-scripts ) || fail "npm install in $DEST"
step_done

step "npm rebuild argon2 (code-server root native module, built from source)"
# --ignore-scripts above skipped argon2's node-pre-gyp install (it would try GitHub first).
( cd "$DEST" && npm_config_build_from_source=true npm rebuild argon2 ) \
  || fail "npm rebuild argon2 in $DEST (native module: check python3, make, g++)"
step_done

step "npm install (lib/vscode, --omit=dev --ignore-scripts)"
( cd "$DEST/lib/vscode" && npm install --omit=dev --ignore-scripts ) || fail "npm install in $DEST/lib/vscode"
step_done

step "ripgrep symlink (Debian rg instead of the GitHub download)"
mkdir -p "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin"
ln -sf "$RG" "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
step_done

step "npm rebuild (lib/vscode native modules)"
( cd "$DEST/lib/vscode" && npm rebuild ) || fail "npm rebuild in $DEST/lib/vscode (native modules: check libkrb5-dev, python3, make, g++)"
step_done

step "symlinks (node_modules.asar, remote-cli, browser helper)"
(
  cd "$DEST/lib/vscode"
  ln -sfn node_modules node_modules.asar
  cd bin/remote-cli && ln -sf code-linux.sh code-server
) || fail "symlinks in lib/vscode/bin/remote-cli"
( cd "$DEST/lib/vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh ) || fail "symlink in lib/vscode/bin/helpers"
step_done

step "npm install (lib/vscode/extensions, --omit=dev)"
( cd "$DEST/lib/vscode/extensions" && npm install --omit=dev ) || fail "npm install in $DEST/lib/vscode/extensions"
step_done

# ---- verify -----------------------------------------------------------------------------------
step "verify (code-server --version, native modules load)"
VERIFY_HOME=$(mktemp -d)
VERSION_OUT=$(cd "$DEST" && XDG_CONFIG_HOME="$VERIFY_HOME" XDG_DATA_HOME="$VERIFY_HOME" node out/node/entry.js --config "$VERIFY_HOME/config.yaml" --version 2>&1 | tail -1) || fail "node out/node/entry.js --version: $VERSION_OUT"
log "  $VERSION_OUT"
( cd "$DEST/lib/vscode" && node -e '
  for (const m of ["node-pty", "@parcel/watcher", "@vscode/spdlog", "kerberos", "native-watchdog"]) {
    try { require(m); } catch (e) { console.error("cannot load native module " + m + ": " + e.message); process.exit(1); }
  }' ) || fail "native modules do not load"
rm -rf "$VERIFY_HOME"
step_done

printf 'code-server %s installed %s in %ss\n' "$CS_VERSION" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(( $(date +%s) - T0 ))" > "$MARKER"
STEP="done"
log "installed code-server $CS_VERSION into $DEST in $(( $(date +%s) - T0 ))s"
