#!/usr/bin/env bash
# Builds a self-contained kubewizard (its own Java runtime) with the JDK's jpackage:
#   jpackage/build.sh [app-image|deb|rpm]     (default app-image; deb needs fakeroot, rpm needs rpm-build)
# The result lands in target/jpackage/. Presets and themes travel inside the image. The JVM flags
# are those of src/main/jvm/jvm.options (one --java-options per line), as ./kubewizard uses them.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
type="${1:-app-image}"
mvn -q -B -DskipTests package
rm -rf target/jpackage target/jpackage-input
mkdir -p target/jpackage-input
cp target/kubewizard.jar target/jpackage-input/
cp -r presets themes target/jpackage-input/ 2>/dev/null || cp -r presets target/jpackage-input/
java_options=(--java-options "-Dfile.encoding=UTF-8")
while IFS= read -r line; do
  case "$line" in '#'*|'') ;; *) java_options+=(--java-options "$line") ;; esac
done < src/main/jvm/jvm.options
# The image's class-data-sharing archive: made below by the image's own runtime on the image's own
# jar (an archive belongs to one java and one jar path); an image moved elsewhere starts without it.
# So the runtime keeps its java command and gets the JDK's base archive (jpackage's default jlink
# options without --strip-native-commands, plus --generate-cds-archive), which the app's builds on.
java_options+=(--java-options '-XX:SharedArchiveFile=$APPDIR/kubewizard.jsa')
jpackage --type app-image --name kubewizard --app-version 0.1.0 \
  --input target/jpackage-input --main-jar kubewizard.jar --main-class io.kubewizard.cli.Main \
  --description "Installs production Kubernetes clusters with kubeadm over SSH" \
  "${java_options[@]}" --dest target/jpackage \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --generate-cds-archive"
image="$root/target/jpackage/kubewizard"
app="$(cd "$image/lib/app" && pwd)"
(cd "$app" && "$image/lib/runtime/bin/java" "@$root/src/main/jvm/jvm.options" \
  -XX:ArchiveClassesAtExit="$app/kubewizard.jsa" -cp "$app/kubewizard.jar" io.kubewizard.cli.Training)
if [ "$type" != app-image ]; then
  jpackage --type "$type" --app-image "$image" --name kubewizard --app-version 0.1.0 \
    --description "Installs production Kubernetes clusters with kubeadm over SSH" --dest target/jpackage
fi
echo "built target/jpackage ($type)"
