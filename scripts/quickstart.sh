#!/usr/bin/env bash
# Quick start: install what is missing, build bee, put `bee` on PATH, and show
# it working on an example: build, describe, package and run. Run as root on Debian 12 or Ubuntu.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-machine.sh
mvn -B -q -ntp package -DskipTests
ln -sf "$PWD/bee-cli/target/bee" /usr/local/bin/bee
# Man pages (built when asciidoctor is installed, as setup-machine.sh does) and bash completion.
if [ -d bee-cli/target/man ]; then
  install -d /usr/local/share/man/man1 && install -m 644 bee-cli/target/man/*.1 /usr/local/share/man/man1/
  command -v mandb >/dev/null && mandb -q || true
fi
if [ -d /etc/bash_completion.d ]; then bee completion bash > /etc/bash_completion.d/bee; fi
echo "== bee build bpf-examples/opensnoop/opensnoop.c"
bee build bpf-examples/opensnoop/opensnoop.c -o /tmp/opensnoop.o
echo "== bee describe /tmp/opensnoop.o   (then its sections, and the bytecode of one program with its source)"
bee describe /tmp/opensnoop.o
bee describe /tmp/opensnoop.o --sections
bee describe /tmp/opensnoop.o --disasm handle_enter
echo "== bee build bpf-examples/opensnoop/opensnoop.c opensnoop:v1   (an image in ~/.bee/store)"
bee build bpf-examples/opensnoop/opensnoop.c opensnoop:v1 -o /tmp/opensnoop.o
bee list
echo "== bee run opensnoop:v1 --duration 3s   (files opened on this machine)"
bee run opensnoop:v1 --no-tty --duration 3s --max-events 10
