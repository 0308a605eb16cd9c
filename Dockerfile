# One image for the three consumers and ingest-api; the command names the main class, e.g.
#   docker run lineage-hub dev.lineagehub.lineage.LineageConsumer
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# package + copy-dependencies in one reactor run, so shared-model resolves from the build itself
RUN mvn -B -ntp -q -pl lineage-consumer,datahub-consumer,otel-consumer,ingest-api -am -DskipTests \
        package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/lib \
    && for m in lineage-consumer datahub-consumer otel-consumer ingest-api; do \
         cp "$m"/target/"$m"-*.jar /app/lib/ && rm -f /app/lib/*-tests.jar; \
       done

FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 lineagehub && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin lineagehub
COPY --from=build /app/lib /app/lib
USER 10001:10001
EXPOSE 8081 8082 8083 8090
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-cp", "/app/lib/*"]
CMD ["dev.lineagehub.lineage.LineageConsumer"]
