package io.warroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.pgclient.PgConnectOptions;
import io.warroom.config.Config;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine here, so docker-compose.yml and the Dockerfile are kept honest by
 * reading them: the services, ports, variables (every one a setting warroom knows, the database
 * URL pointing at the database service) and health checks.
 */
class ComposeFileTest {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z_]+)(?::([-?])([^}]*))?}");
  /** What a user sets before `docker compose up`. */
  private static final Map<String, String> SHELL =
      Map.of("WARROOM_INGEST_TOKENS", "feed-token-0123456789", "WARROOM_ADMIN_TOKEN", "admin-token-0123456789");

  @Test
  void composeRunsPostgres16AndWarroomWithHealthChecksAndAVolume() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
    JsonNode services = compose.get("services");
    Set<String> always = new HashSet<>();
    services.fields().forEachRemaining(e -> {
      if (!e.getValue().has("profiles")) always.add(e.getKey());
    });
    assertEquals(Set.of("postgres", "warroom"), always, "what `docker compose up` runs");

    JsonNode pg = services.get("postgres");
    assertTrue(pg.get("image").asText().matches("postgres:16(\\..*|-.*)?"), pg.get("image").asText());
    Map<String, String> pgEnv = environment(pg);
    assertTrue(texts(pg.get("volumes")).contains("pgdata:/var/lib/postgresql/data"));
    assertTrue(compose.get("volumes").has("pgdata"), "the data volume is declared");
    String pgCheck = String.join(" ", texts(pg.get("healthcheck").get("test")));
    assertTrue(pgCheck.contains("pg_isready -U " + pgEnv.get("POSTGRES_USER") + " -d "
        + pgEnv.get("POSTGRES_DB")), pgCheck);

    JsonNode app = services.get("warroom");
    assertEquals(".", app.get("build").asText());
    assertEquals("service_healthy", app.get("depends_on").get("postgres").get("condition").asText());
    // docker's default 10 s would kill a batch the server still had 20 s to finish
    assertEquals("30s", app.get("stop_grace_period").asText());
    Map<String, String> env = environment(app);
    assertTrue(knownSettings().containsAll(env.keySet()), "unknown settings: " + env.keySet());
    Config config = Config.from(env, new String[0]);
    assertEquals(List.of("feed-token-0123456789"), config.ingestTokens());
    assertEquals("admin-token-0123456789", config.adminToken());

    PgConnectOptions db = PgConnectOptions.fromUri(config.pgUrl());
    assertEquals("postgres", db.getHost(), "the URL points at the database service");
    assertEquals(5432, db.getPort());
    assertEquals(pgEnv.get("POSTGRES_DB"), db.getDatabase());
    assertEquals(pgEnv.get("POSTGRES_USER"), db.getUser());
    assertEquals(pgEnv.get("POSTGRES_PASSWORD"), db.getPassword());

    assertEquals(List.of(config.httpPort() + ":" + config.httpPort()), texts(app.get("ports")));
    String appCheck = String.join(" ", texts(app.get("healthcheck").get("test")));
    assertTrue(appCheck.contains("http://localhost:" + config.httpPort() + "/ready"), appCheck);

    String raw = Files.readString(Path.of("docker-compose.yml"));
    assertTrue(raw.contains("${WARROOM_INGEST_TOKENS:?"), "ingest tokens must be given");
    assertTrue(raw.contains("${WARROOM_ADMIN_TOKEN:?"), "the admin token must be given");
  }

  @Test
  void theNodesProfileRunsASecondNodeOnTheSameDatabaseBehindNginx() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
    JsonNode services = compose.get("services");
    JsonNode first = services.get("warroom");
    JsonNode second = services.get("warroom-2");
    JsonNode lb = services.get("lb");
    for (JsonNode s : List.of(second, lb)) assertEquals(List.of("nodes"), texts(s.get("profiles")));
    assertEquals(".", second.get("build").asText());
    assertEquals(environment(first), environment(second), "the same settings and database");
    assertEquals(first.get("healthcheck"), second.get("healthcheck"));
    assertEquals("service_healthy", second.get("depends_on").get("postgres").get("condition").asText());

    assertTrue(lb.get("image").asText().startsWith("nginx:"), lb.get("image").asText());
    for (String node : List.of("warroom", "warroom-2")) {
      assertEquals("service_healthy", lb.get("depends_on").get(node).get("condition").asText());
    }
    assertEquals(List.of("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro"), texts(lb.get("volumes")));
    String nginx = Files.readString(Path.of("deploy/nginx.conf"));
    int port = Config.from(environment(second), new String[0]).httpPort();
    assertTrue(nginx.contains("server warroom:" + port + " "), "upstream: the first node");
    assertTrue(nginx.contains("server warroom-2:" + port + " "), "upstream: the second node");
    String published = texts(lb.get("ports")).get(0);
    assertTrue(nginx.contains("listen " + published.substring(published.indexOf(':') + 1) + ";"),
        "nginx listens on the published port " + published);
    // LoadBalancerTest runs this nginx.conf for real in front of two nodes.
  }

  @Test
  void theImageRunsTheShadedJarOnAJre() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertTrue(from.get(from.size() - 1).matches("FROM eclipse-temurin:17-jre.*"), from.toString());
    assertTrue(lines.contains("COPY --from=build /src/target/warroom.jar /app/warroom.jar"));
    assertTrue(lines.contains("RUN mvn -q -B package -DskipTests"));
    assertTrue(Files.readString(Path.of("pom.xml")).contains("<finalName>warroom</finalName>"),
        "the build makes target/warroom.jar");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("\"-jar\", \"/app/warroom.jar\"")));
    assertTrue(lines.contains("EXPOSE 8080") && lines.contains("ENV WARROOM_HTTP_PORT=8080"));
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new HashMap<>();
    service.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), resolve(e.getValue().asText())));
    return env;
  }

  /** Compose's variable substitution: ${X}, ${X:-default}, ${X:?error}. */
  private static String resolve(String value) {
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String set = SHELL.get(m.group(1));
      String v;
      if (set != null && !set.isEmpty()) v = set;
      else if ("?".equals(m.group(2))) throw new AssertionError(m.group(1) + " is required: " + m.group(3));
      else v = m.group(3) == null ? "" : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Set<String> knownSettings() throws IllegalAccessException {
    Set<String> keys = new HashSet<>();
    for (Field f : Config.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String v = (String) f.get(null);
        if (v.startsWith("WARROOM_")) keys.add(v);
      }
    }
    return keys;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
