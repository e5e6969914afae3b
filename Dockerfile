# warroom: the runnable jar on a JRE. Built from source in a first stage, so that
# `docker compose up --build` needs nothing but Docker.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY webroot webroot
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
# curl for the compose health check on /ready
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 warroom
WORKDIR /app
COPY --from=build /src/target/warroom.jar /app/warroom.jar
USER warroom
ENV WARROOM_HTTP_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/warroom.jar"]
