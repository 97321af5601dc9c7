#!/usr/bin/env bash
# Installs what bee and its tests need on Debian 12 / Ubuntu (run as root),
# and mounts the kernel file systems eBPF needs. Safe to run again.
set -euo pipefail
packages=(clang llvm libbpf-dev libbpf1 bpftool linux-libc-dev maven openjdk-17-jdk-headless
          skopeo docker-registry apache2-utils iproute2 prometheus tmux asciidoctor man-db podman jq
          clang-format)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# bpftool is its own package on Debian 12 but part of linux-tools elsewhere.
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The Debian registry package starts a service where systemd runs; the tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing || true
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug || true
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || true
# podman (the packaged-image tests): on VMs whose hugetlb controller sits on the cgroup2 mount, crun refuses
# to start containers ("cgroups in hybrid mode not supported"); a v1 hugetlb hierarchy moves it off.
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
  mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb || true
fi
