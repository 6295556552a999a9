#!/usr/bin/env bash
# make bench: every bench/*.bench.sh in turn, each printing a Markdown section; the
# sections, with the machine and the date, become BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
out=$(mktemp)
{
  echo "# Benchmarks"
  echo
  echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(swift --version 2>&1 | head -1)."
  echo "Release build. Figures from one run; the machine may have been shared with other work."
  echo
} > "$out"
for script in bench/*.bench.sh; do
  [ -e "$script" ] || continue
  echo "== $script" >&2
  bash "$script" >> "$out"
  echo >> "$out"
done
# The profiles behind the HTTP figures, taken by hand (perf needs a person to read it).
[ -f bench/profiles.md ] && cat bench/profiles.md >> "$out"
mv "$out" BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
