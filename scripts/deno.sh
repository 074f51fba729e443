#!/usr/bin/env sh
# Runs the project's pinned Deno, installing it from the npm registry on first use.
# Only Node and npm are needed on the machine (JSR and deno.land are not reachable here).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
version=2.9.6
bin="$root/.tools/node_modules/deno/deno"
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null | head -n1 | cut -d' ' -f2)" != "$version" ]; then
  echo "installing deno $version from npm into .tools/ ..." >&2
  mkdir -p "$root/.tools"
  npm install --silent --no-audit --no-fund --prefix "$root/.tools" "deno@$version" >&2
fi
# Deno prints a useless native backtrace on every error exit when this is set.
unset RUST_BACKTRACE
export DENO_NO_UPDATE_CHECK=1
exec "$bin" "$@"
