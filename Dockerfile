# syntax=docker/dockerfile:1
# One image for the three consumers and ingest-api; the command names the main class, e.g.
#   docker run lineage-hub dev.lineagehub.lineage.LineageConsumer
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven repository is a build cache, kept between builds, so a source change does not download the
# dependencies again. One script builds the class path here and in `./lineage-hub test`, which checks
# it holds one version of each library.
RUN --mount=type=cache,target=/root/.m2 deploy/image-lib.sh /app/lib
# A Java runtime of only the modules the class path uses (jdeps), plus EC crypto for TLS to Marquez
# and GMS: about 50 MB instead of a full JRE's 190.
RUN jlink --add-modules "$(jdeps --ignore-missing-deps -q --multi-release 17 --print-module-deps \
          --class-path '/app/lib/*' /app/lib/*.jar),jdk.crypto.ec" \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/java

FROM debian:12-slim
# The release this image is (the build's version; ./lineage-hub test checks the default against pom.xml).
ARG VERSION=0.2.0
LABEL org.opencontainers.image.title="lineage-hub" \
      org.opencontainers.image.description="Kafka Streams consumers from OpenLineage and OpenTelemetry topics to Marquez, DataHub and ClickHouse, and their HTTP ingest API" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/lineage-hub/lineage-hub" \
      org.opencontainers.image.base.name="debian:12-slim"
ENV TZ=UTC LANG=C.UTF-8 JAVA_HOME=/opt/java PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN groupadd --gid 10001 lineagehub && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin lineagehub
COPY --from=build /opt/java /opt/java
COPY --from=build /app/lib /app/lib
USER 10001:10001
EXPOSE 8081 8082 8083 8090
# Heap as a share of the container's memory limit; UTC whatever the host; JSON log lines (LOG_FORMAT=text for plain).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC" \
    LOG_FORMAT=json LOG_LEVEL=INFO
ENTRYPOINT ["java", "-cp", "/app/lib/*"]
CMD ["dev.lineagehub.lineage.LineageConsumer"]
