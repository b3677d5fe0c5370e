#!/usr/bin/env bash
# Builds a self-contained kubewizard (its own Java runtime) with the JDK's jpackage:
#   jpackage/build.sh [app-image|deb|rpm]     (default app-image; deb needs fakeroot, rpm needs rpm-build)
# The result lands in target/jpackage/. Presets and themes travel inside the image.
set -euo pipefail
cd "$(dirname "$0")/.."
type="${1:-app-image}"
mvn -q -B -DskipTests package
rm -rf target/jpackage target/jpackage-input
mkdir -p target/jpackage-input
cp target/kubewizard.jar target/jpackage-input/
cp -r presets themes target/jpackage-input/ 2>/dev/null || cp -r presets target/jpackage-input/
jpackage --type "$type" --name kubewizard --app-version 0.1.0 \
  --input target/jpackage-input --main-jar kubewizard.jar --main-class io.kubewizard.cli.Main \
  --description "Installs production Kubernetes clusters with kubeadm over SSH" \
  --java-options "-Dfile.encoding=UTF-8" --dest target/jpackage
echo "built target/jpackage ($type)"
