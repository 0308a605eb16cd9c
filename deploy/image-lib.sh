#!/usr/bin/env bash
# The image's class path, built the one way the Dockerfile and `./lineage-hub test` both use: the four
# services' jars and their runtime dependencies in one directory. Fails if any library is there twice,
# because `java -cp "/app/lib/*"` would pick one of the two versions at random.
#   deploy/image-lib.sh <output dir> [extra mvn args]
set -euo pipefail
out="$1"; shift
modules=lineage-consumer,datahub-consumer,otel-consumer,ingest-api
mkdir -p "$out"
# Each module copies its runtime dependencies into its own target/dependency; only the services' go
# into the image (-am also builds modules they need only for tests, such as testkit).
mvn -B -ntp -q -Dstyle.color=never -pl "$modules" -am -DskipTests "$@" \
    package dependency:copy-dependencies -DincludeScope=runtime
for m in ${modules//,/ }; do
  cp "$m"/target/dependency/*.jar "$out"/
  cp "$m"/target/"$m"-*.jar "$out"/
done
rm -f "$out"/*-tests.jar

# artifactId-version.jar -> artifactId: a name seen twice is two versions of one library.
twice=$(ls "$out" | sed -E 's/-[0-9][^-]*(-[A-Za-z0-9.]+)*\.jar$//' | sort | uniq -d)
if [ -n "$twice" ]; then
  echo "The image would hold two versions of: $twice" >&2
  ls "$out" | grep -E "^($(echo "$twice" | paste -sd'|'))-[0-9]" >&2
  exit 1
fi
# Nor anything of the tests: a test kit on a service's class path is a dependency declared in the wrong scope.
tests=$(ls "$out" | grep -E '^(testkit|junit|opentest4j|testcontainers|kafka-test-common|kafka-streams-test-utils|slf4j-simple|assertj)' || true)
if [ -n "$tests" ]; then
  echo "The image would hold test libraries: $tests" >&2
  exit 1
fi
echo "Image class path: $(ls "$out" | wc -l) jars, one version each, no test library"
