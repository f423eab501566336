#!/bin/sh
# Builds the boot test's Debian 12 template image (see README-section.md).
#   build-image.sh OUT PACKAGES REPO_URL
# PACKAGES lists one package a line, "base NAME" or "role NAME". Base packages
# make the template (kernel, systemd, cloud-init, sshd, resolver, open-vm-tools);
# role packages are what the nodes' user-data installs, pre-installed so that
# cloud-init's packages step finds them (saving its download and install under
# TCG) with their services disabled, so that a node runs only what its own
# user-data and day-2 steps enable and start, as on a template without them.
# OUT receives vmlinuz, initrd.img, rootfs.img (raw ext4), repo/ (a flat apt
# repository of every package in the image) and manifest.txt. The caller
# builds into a temp directory and renames it: OUT is complete or absent.
set -eu
out=$1
pkgs=$2
repo_url=$3
mirror=http://deb.debian.org/debian

base=$(awk '$1 == "base" {print $2}' "$pkgs" | paste -sd, -)
role=$(awk '$1 == "role" {print $2}' "$pkgs" | paste -sd, -)
roles_sp=$(awk '$1 == "role" {print $2}' "$pkgs" | paste -sd' ' -)
mkdir -p "$out/repo" "$out/rootfs"

# --skip=essential/unlink keeps every downloaded .deb in the chroot's apt
# cache, so the flat repository holds exactly the versions the image has.
mmdebstrap --variant=apt --skip=essential/unlink \
  --include="$base,$role" \
  --customize-hook='sync-out /var/cache/apt/archives '"$out/repo" \
  --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
  --customize-hook='echo "en_US.UTF-8 UTF-8" >> "$1/etc/locale.gen" && chroot "$1" locale-gen >/dev/null' \
  --customize-hook='printf "/dev/vda / ext4 rw,errors=remount-ro 0 1\n" > "$1/etc/fstab"' \
  --customize-hook='mkdir -p "$1/etc/systemd/network" && printf "%s\n" \
      "# QEMU names its virtio NIC enp1s0; vSphere names the VMXNET3 NIC ens192, the name" \
      "# the stack renders (hawebtier:onprem network.interface). Only one NIC per VM." \
      "[Match]" "Driver=virtio_net" "[Link]" "Name=ens192" \
      > "$1/etc/systemd/network/10-hawebtier-ens192.link"' \
  --customize-hook='chroot "$1" update-initramfs -u -k all >/dev/null' \
  --customize-hook='mkdir -p "$1/etc/cloud/cloud.cfg.d" && printf "%s\n" \
      "# The template contract: the VMware datasource reads guestinfo on vSphere; the boot" \
      "# test seeds the same documents through NoCloud (a cidata ISO)." \
      "datasource_list: [ NoCloud, VMware, None ]" \
      > "$1/etc/cloud/cloud.cfg.d/90-hawebtier-template.cfg"' \
  --customize-hook='printf "deb [trusted=yes] %s ./\n" "'"$repo_url"'" > "$1/etc/apt/sources.list" && rm -f "$1"/etc/apt/sources.list.d/*' \
  --customize-hook='for p in '"$roles_sp"'; do
      for u in $(chroot "$1" dpkg -L "$p" | grep -E "^/(usr/)?lib/systemd/system/[^/]+\.service$" | xargs -rn1 basename); do
        case "$u" in *@.service) continue ;; esac
        chroot "$1" systemctl disable "$u" >/dev/null 2>&1 || true
      done
    done' \
  --customize-hook='chroot "$1" dpkg-query -W -f "\${Package} \${Version}\n" > "'"$out"'/manifest.txt"' \
  bookworm "$out/rootfs" "$mirror"

rm -rf "$out/repo/partial" "$out/repo/lock"
(cd "$out/repo" && apt-ftparchive packages . > Packages && apt-ftparchive release . > Release)
# The rootfs's own kernel and initrd, for QEMU's direct kernel boot (there is one
# kernel; the /vmlinuz symlinks may be absolute and would resolve on the host).
cp "$out"/rootfs/boot/vmlinuz-* "$out/vmlinuz"
cp "$out"/rootfs/boot/initrd.img-* "$out/initrd.img"
truncate -s 4G "$out/rootfs.img"
mkfs.ext4 -q -F -L rootfs -d "$out/rootfs" "$out/rootfs.img"
rm -rf "$out/rootfs"
