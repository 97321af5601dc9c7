#!/usr/bin/env bash
# Makes a base image for `bee package` (a Java runtime and libbpf.so.1) as an OCI image layout folder,
# without a container engine: one reproducible layer (sorted tar entries, fixed times, owner 0),
# a config and a manifest, written here with coreutils. Copy it to a registry with skopeo:
#
#   scripts/base-image.sh --host /tmp/bee-base
#   skopeo copy --dest-tls-verify=false oci:/tmp/bee-base:bee-base docker://localhost:5000/bee/base:17
#
# Where the root file system comes from:
#   --host        this machine's Java runtime ($JAVA_HOME, else the `java` on PATH; the JDK-only
#                 parts left out), its libbpf.so.1 and every shared library they load (ldd), a
#                 minimal /etc/passwd and a /tmp. What bee's tests use.
#   --rootfs DIR  a root folder you made, e.g. from Debian packages:
#                   mmdebstrap --variant=apt --include=openjdk-17-jre-headless,libbpf1 bookworm DIR
#                 (java must be on the image's PATH: --env PATH=... when it is not in /usr/bin).
# Options: --tag NAME (the name in index.json, default bee-base), --env KEY=VALUE (repeatable).
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

mode= rootfs= tag=bee-base out=
envs=()
while (($#)); do
  case "$1" in
    --host) mode=host ;;
    --rootfs) mode=rootfs; rootfs=${2:?--rootfs needs a folder}; shift ;;
    --tag) tag=${2:?--tag needs a name}; shift ;;
    --env) envs+=("${2:?--env needs KEY=VALUE}"); shift ;;
    -h|--help) usage ;;
    -*) echo "base-image: unknown option $1" >&2; usage ;;
    *) out=$1 ;;
  esac
  shift
done
[ -n "$mode" ] && [ -n "$out" ] || usage

case "$(uname -m)" in
  x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
default_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# copy_file SRC: SRC (symlinks followed) to the same path under $root, keeping the mode.
copy_file() {
  mkdir -p "$root$(dirname "$1")"
  cp -L --preserve=mode "$1" "$root$1"
}

if [ "$mode" = host ]; then
  root=$work/rootfs
  java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
  [ -x "$java_home/bin/java" ] || { echo "base-image: no java in $java_home" >&2; exit 9; }
  libbpf=$( (ldconfig -p 2>/dev/null || true) | awk '$1 == "libbpf.so.1" {print $NF; exit}')
  [ -n "$libbpf" ] || { echo "base-image: libbpf.so.1 is not installed (apt-get install libbpf1)" >&2; exit 9; }
  # The runtime: bin/java, lib/ (less what only javac, jlink and desktop programs use), conf/ and release.
  (cd "$java_home" && find bin/java lib conf release \
      \( -name ct.sym -o -name src.zip -o -name classes_nocoops.jsa -o -name '*.debuginfo' -o -name libawt_xawt.so \
         -o -name libjawt.so -o -name libsplashscreen.so -o -name libatk-wrapper.so -o -name libjsound.so \) -prune \
      -o \( -type f -o -type l \) -print) | sort | while read -r f; do
    [ -e "$java_home/$f" ] && copy_file "$java_home/$f"   # dangling links (docs, src.zip) are left out
  done
  copy_file "$libbpf"
  # Shared libraries of java, the runtime's own libraries and libbpf, and the dynamic loader.
  { ldd "$java_home/bin/java"; find "$root$java_home/lib" -name '*.so' -exec ldd {} \; ; ldd "$libbpf"; } 2>/dev/null \
    | awk '/=> \// {print $3} /^[[:space:]]*\/[^ ]+ \(0x/ {print $1}' | sort -u | while read -r lib; do
      copy_file "$lib"
  done
  mkdir -p "$root/tmp" "$root/root" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  envs=("PATH=$java_home/bin:$default_path" "JAVA_HOME=$java_home" "${envs[@]}")
else
  root=$(cd "$rootfs" && pwd)
  [ -d "$root" ] || { echo "base-image: no folder $rootfs" >&2; exit 7; }
  has_path=no
  for e in "${envs[@]}"; do [[ $e == PATH=* ]] && has_path=yes; done
  [ $has_path = yes ] || envs=("PATH=$default_path" "${envs[@]}")
fi

# The layer: entries sorted by name, times fixed, owner root, so one root folder gives one digest.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$root" -cf "$work/layer.tar" .
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -c "$work/layer.tar" > "$work/layer.tar.gz"

mkdir -p "$out/blobs/sha256"
put_blob() { # put_blob FILE -> prints "DIGEST SIZE"
  local d; d=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$out/blobs/sha256/$d"
  echo "sha256:$d $(stat -c %s "$1")"
}
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

read -r layer_digest layer_size < <(put_blob "$work/layer.tar.gz")
env_json=
for e in "${envs[@]}"; do env_json+=${env_json:+,}$(json_string "$e"); done
printf '{"architecture":"%s","os":"linux","config":{"Env":[%s]},"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"bee scripts/base-image.sh --%s"}]}' \
  "$arch" "$env_json" "$diff_id" "$mode" > "$work/config.json"
read -r config_digest config_size < <(put_blob "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
  "$config_digest" "$config_size" "$layer_digest" "$layer_size" > "$work/manifest.json"
read -r manifest_digest manifest_size < <(put_blob "$work/manifest.json")
printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":%s},"platform":{"architecture":"%s","os":"linux"}}]}' \
  "$manifest_digest" "$manifest_size" "$(json_string "$tag")" "$arch" > "$out/index.json"
echo "base-image: $out:$tag $manifest_digest ($(( layer_size / 1024 / 1024 )) MiB compressed)" >&2
echo "$manifest_digest"
