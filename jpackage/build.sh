#!/usr/bin/env bash
# Builds a self-contained kubewizard (its own trimmed Java runtime) with the JDK's jlink and jpackage:
#   jpackage/build.sh [--no-build] [app-image|deb|rpm]   (default app-image)
# --no-build packages the target/kubewizard.jar (and target/man) already built instead of running
# mvn package first (the package system test does so, inside the build that made them).
# The result lands in target/jpackage/. Presets and themes travel inside the jar. The JVM flags
# are those of src/main/jvm/jvm.options (one --java-options per line), as ./kubewizard uses them.
#
# deb: installs under /opt/kubewizard, with /usr/bin/kubewizard, a man page per command in
# /usr/share/man/man1 and bash completion in /usr/share/bash-completion/completions/kubewizard,
# all files of the package (dpkg -r removes them). Needs dpkg-deb and fakeroot, the man pages
# (target/man: asciidoctor at build time, see pom.xml), and root or unprivileged user namespaces
# (the class-data-sharing archive is made at /opt/kubewizard inside a private mount namespace).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
type="${1:-app-image}"
case "$type" in app-image|deb|rpm) ;; *) echo "usage: jpackage/build.sh [--no-build] [app-image|deb|rpm]" >&2; exit 2 ;; esac
version=0.1.0
description="Installs production Kubernetes clusters with kubeadm over SSH"
if [ "$build" = 1 ]; then mvn -q -B -DskipTests package; fi
jar="$root/target/kubewizard.jar"
[ -f "$jar" ] || { echo "jpackage/build.sh: no $jar (run mvn package)" >&2; exit 1; }
if [ "$type" = deb ] && ! ls target/man/*.1 >/dev/null 2>&1; then
  echo "jpackage/build.sh: no man pages in target/man: install asciidoctor (Debian package asciidoctor), then mvn package" >&2
  exit 1
fi
rm -rf target/jpackage target/jpackage-input target/jpackage-runtime
mkdir -p target/jpackage-input
cp "$jar" target/jpackage-input/

# The runtime: only the modules jdeps finds the jar using, plus two that are looked up by name, so
# jdeps cannot see them: jdk.crypto.ec, the provider of the EC and EdDSA algorithms SSH and the PKI
# use, and jdk.unsupported, whose sun.misc.Signal Lanterna's Unix terminal loads reflectively to
# hear SIGWINCH (without it the wizard never notices its terminal being resized). Its modules are compressed; native debug symbols are dropped. It keeps
# its java command: the class-data-sharing archive below is made with it. It gets no base CDS
# archive (the JDK's two, 22 MB): the app's archive is a static one that holds the JDK classes too.
modules="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "$jar"),jdk.crypto.ec,jdk.unsupported"
echo "runtime modules: $modules"
jlink --add-modules "$modules" --output target/jpackage-runtime \
  --strip-debug --no-man-pages --no-header-files --compress=2 \
  --strip-native-debug-symbols exclude-debuginfo-files:objcopy="$(command -v objcopy)"

# jlink's objcopy leaves the shared libraries' symbol tables: strip them (libjvm.so: 24 to 20 MB).
find target/jpackage-runtime -name '*.so' -exec strip --strip-unneeded {} +

java_options=(--java-options "-Dfile.encoding=UTF-8")
while IFS= read -r line; do
  case "$line" in '#'*|'') ;; *) java_options+=(--java-options "$line") ;; esac
done < src/main/jvm/jvm.options
java_options+=(--java-options '-XX:SharedArchiveFile=$APPDIR/kubewizard.jsa')
jpackage --type app-image --name kubewizard --app-version "$version" \
  --input target/jpackage-input --main-jar kubewizard.jar --main-class io.kubewizard.cli.Main \
  --description "$description" --runtime-image target/jpackage-runtime \
  "${java_options[@]}" --dest target/jpackage
image="$root/target/jpackage/kubewizard"

# The class-data-sharing archive: a static one (JDK and app classes), made by the image's own runtime
# from the classes a training run (cli Training) loads. An archive belongs to one java and one jar
# path: it maps only where it was made. So an app image gets one made where it lies, and a deb one
# made at its install path, /opt/kubewizard: the image is mounted there in a mount namespace of its
# own for the two runs, which leaves the machine's /opt as it was. A JVM that cannot map the archive
# (an image moved elsewhere) starts without it (-Xshare:auto in jvm.options).
archive() { # $1: where the image is while the archive is made
  local app="$1/lib/app"
  (cd "$app" && "$1/lib/runtime/bin/java" "@$root/src/main/jvm/jvm.options" \
    -XX:DumpLoadedClassList="$app/kubewizard.classlist" -cp "$app/kubewizard.jar" io.kubewizard.cli.Training)
  "$1/lib/runtime/bin/java" -XX:+UseSerialGC -Xshare:dump -Xlog:disable -Xlog:all=error:stderr \
    -XX:SharedClassListFile="$app/kubewizard.classlist" -XX:SharedArchiveFile="$app/kubewizard.jsa" \
    -cp "$app/kubewizard.jar" >/dev/null
  rm -f "$app/kubewizard.classlist"
}
if [ "$type" = app-image ]; then
  archive "$image"
else
  namespace=(unshare --mount --propagation private)
  [ "$(id -u)" = 0 ] || namespace=(unshare --user --map-root-user --mount --propagation private)
  export -f archive
  "${namespace[@]}" bash -c 'set -euo pipefail; mount -t tmpfs kubewizard-build /opt
    mkdir /opt/kubewizard; mount --bind "$1" /opt/kubewizard; root="$2"; archive /opt/kubewizard' \
    archive "$image" "$root"
fi
[ -s "$image/lib/app/kubewizard.jsa" ] || { echo "jpackage/build.sh: no class-data-sharing archive made" >&2; exit 1; }

mib() { du -sb "$1" | awk '{printf "%.1f MiB", $1 / 1048576}'; }
echo "app image: $(mib "$image") (runtime $(mib "$image/lib/runtime"), jar $(mib "$image/lib/app/kubewizard.jar"),"\
  "CDS archive $(mib "$image/lib/app/kubewizard.jsa"))"

if [ "$type" = deb ]; then
  # Made with dpkg-deb from the image rather than jpackage --type deb: jpackage's deb can hold only
  # /opt/kubewizard (so it would be unpacked and packed again for the files below) and compresses with
  # xz, which takes minutes here; gzip takes seconds. The image goes to /opt/kubewizard as jpackage's
  # deb puts it; the command, the man pages and the completion are the package's own files, so
  # dpkg -r removes every one. Depends: the packages of the shared libraries the runtime links.
  tree=target/jpackage/deb-tree
  mkdir -p "$tree/DEBIAN" "$tree/opt" "$tree/usr/bin" "$tree/usr/share/man/man1" \
    "$tree/usr/share/bash-completion/completions" "$tree/usr/share/doc/kubewizard"
  cp -a "$image" "$tree/opt/kubewizard"
  ln -s /opt/kubewizard/bin/kubewizard "$tree/usr/bin/kubewizard"
  for page in target/man/*.1; do gzip -9n < "$page" > "$tree/usr/share/man/man1/$(basename "$page").gz"; done
  "$image/bin/kubewizard" completion bash > "$tree/usr/share/bash-completion/completions/kubewizard"
  printf 'kubewizard: %s.\n' "$description" > "$tree/usr/share/doc/kubewizard/copyright"
  chmod -R u+rwX,go+rX,go-w "$tree"
  owner() { # the package that holds a library: dpkg knows it by one of its merged-/usr paths
    dpkg -S "$1" 2>/dev/null || dpkg -S "${1#/usr}" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null || true
  }
  depends="$(find "$tree/opt" -name '*.so' -exec ldd {} + 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' \
    | sort -u | while read -r lib; do owner "$lib"; done | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')"
  cat > "$tree/DEBIAN/control" <<CONTROL
Package: kubewizard
Version: $version-1
Section: admin
Priority: optional
Architecture: $(dpkg --print-architecture)
Maintainer: kubewizard <kubewizard@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$tree" | cut -f1)
Depends: $depends
Description: $description
 A terminal wizard that installs and keeps Kubernetes clusters with kubeadm over SSH,
 with its own Java runtime, a man page per command and bash completion.
CONTROL
  deb="target/jpackage/kubewizard_$version-1_$(dpkg --print-architecture).deb"
  fakeroot dpkg-deb --build -Zgzip -z6 "$tree" "$deb" >/dev/null
  rm -rf "$tree"
  echo "deb: $deb ($(mib "$deb"))"
elif [ "$type" = rpm ]; then
  jpackage --type rpm --app-image "$image" --name kubewizard --app-version "$version" \
    --description "$description" --dest target/jpackage
fi
echo "built target/jpackage ($type)"
