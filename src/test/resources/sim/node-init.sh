#!/bin/bash
# Process 1 of a simulated node: started by SimCluster as
#   ip netns exec <netns> unshare --mount --uts --pid --fork --kill-child bash node-init.sh
# so it already has the node's network namespace and private mount, UTS and PID namespaces.
# It builds the node's root (an overlay over the machine's / whose upper layer is a tmpfs that
# dies with the node), pivots into it, starts sshd and the socket relay the jump host reaches it
# through, prints "ready", and then waits for its stdin to close. When it exits the kernel kills
# every process of the PID namespace and the mount namespace with all its mounts goes away, so a
# node leaves nothing behind however the JVM that started it ends.
#
# Environment: KW_NAME, KW_NODE_DIR (state/, log/, layer/ and root/ of this node on the machine),
# KW_LIB (stand-ins), KW_CLUSTER (state shared by every node), KW_CPUS (taskset list or empty),
# KW_MEMINFO (1: a fake /proc/meminfo from state/meminfo).
set -euo pipefail

state="$KW_NODE_DIR/state"
layer="$KW_NODE_DIR/layer"
root="$KW_NODE_DIR/root"

hostname "$KW_NAME"

mount -t tmpfs -o mode=0755 kw-sim-layer "$layer"
upper="$layer/upper"
mkdir -p "$upper" "$layer/work" "$layer/sys-upper/dmi/id" "$layer/sys-work"

# What makes this machine look like a fresh host of its kind: its own /etc files, stand-ins where
# the real tools are, and whiteouts hiding what a fresh host has not installed yet.
while read -r kind path arg1 arg2; do
  target="$upper$path"
  case "$kind" in
    dir) install -d -m "$arg1" "$target" ;;
    file) install -D -m "$arg1" "$arg2" "$target" ;;
    link) mkdir -p "$(dirname "$target")"; ln -sfn "$arg1" "$target" ;;
    whiteout) mkdir -p "$(dirname "$target")"; mknod "$target" c 0 0 ;;
    *) echo "kw-sim: unknown layout line: $kind $path" >&2; exit 1 ;;
  esac
done < "$state/layout"

mount -t overlay kw-sim-root -o "lowerdir=/,upperdir=$upper,workdir=$layer/work" "$root"

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
# sysfs cannot be written: the node's product_uuid comes through an overlay, and kernel modules
# are directories modprobe's stand-in creates in an empty tmpfs.
install -m 0444 "$state/product_uuid" "$layer/sys-upper/dmi/id/product_uuid"
mount -t overlay kw-sim-sysclass -o "lowerdir=$root/sys/class,upperdir=$layer/sys-upper,workdir=$layer/sys-work" \
  "$root/sys/class"
mount -t tmpfs -o mode=0755 kw-sim-modules "$root/sys/module"

mount --rbind /dev "$root/dev"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
mount -t tmpfs -o mode=0755 run "$root/run"
mkdir -p "$root/run/sshd" "$root/run/lock"
mount -t tmpfs -o mode=1777 tmp "$root/tmp"
mount -t tmpfs -o mode=0700 home "$root/root"

mkdir -p "$root/var/lib/kw-sim" "$root/var/log/kw-sim" "$root/var/lib/kw-sim-cluster" "$root/usr/lib/kw-sim" \
  "$root/.kw-host"
mount --bind "$state" "$root/var/lib/kw-sim"
mount --bind "$KW_NODE_DIR/log" "$root/var/log/kw-sim"
mount --bind "$KW_CLUSTER" "$root/var/lib/kw-sim-cluster"
mount --bind "$KW_LIB" "$root/usr/lib/kw-sim"
mount -o remount,bind,ro "$root/usr/lib/kw-sim"
# The machine's own binaries, read-only, for packages whose real program the harness runs once
# "installed" (haproxy and keepalived check their configuration).
mount --bind / "$root/.kw-host"
mount -o remount,bind,ro "$root/.kw-host"

mount --bind "$state/swaps" "$root/proc/swaps"
if [ "${KW_MEMINFO:-0}" = 1 ]; then mount --bind "$state/meminfo" "$root/proc/meminfo"; fi

mkdir -p "$root/.kw-oldroot"
cd "$root"
pivot_root . .kw-oldroot
cd /
umount -l /.kw-oldroot
rmdir /.kw-oldroot

ip link set lo up

if [ -n "${KW_CPUS:-}" ]; then cpus=(taskset -c "$KW_CPUS"); else cpus=(); fi
"${cpus[@]}" /usr/sbin/sshd -D -e -f /var/lib/kw-sim/ssh/sshd_config 2>>/var/log/kw-sim/sshd.log &
echo $! > /var/lib/kw-sim/sshd.pid
# The JVM lives in the machine's namespace and cannot connect into this one; a Unix socket on a
# bind-mounted directory is reachable from both.
socat UNIX-LISTEN:/var/lib/kw-sim/ssh.sock,fork,unlink-early,mode=600 TCP:127.0.0.1:22 \
  2>>/var/log/kw-sim/relay.log &

for _ in $(seq 1 500); do
  if [ -S /var/lib/kw-sim/ssh.sock ] && ss -Htln 'sport = :22' | grep -q .; then
    echo ready
    # Returns when the JVM closes our stdin or dies; bash reaps orphans meanwhile.
    while read -r _; do :; done
    exit 0
  fi
  sleep 0.02
done
echo "kw-sim: sshd did not listen within 10 s:" >&2
cat /var/log/kw-sim/sshd.log >&2
exit 1
