# One image for the three consumers and ingest-api; the command names the main class, e.g.
#   docker run lineage-hub dev.lineagehub.lineage.LineageConsumer
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# One script builds the class path here and in `./lineage-hub test`, which checks it has one version of each library.
RUN deploy/image-lib.sh /app/lib

FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 lineagehub && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin lineagehub
COPY --from=build /app/lib /app/lib
USER 10001:10001
EXPOSE 8081 8082 8083 8090
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-cp", "/app/lib/*"]
CMD ["dev.lineagehub.lineage.LineageConsumer"]
