package io.warroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the server depend on each other one way only, so a new KPI, store or channel
 * goes into one place without dragging the rest along. Read from the sources: every name of
 * another package, imported or written out.
 */
class PackagesTest {
  private static final Path MAIN = Path.of("src/main/java/io/warroom");
  private static final Pattern NAME = Pattern.compile("\\bio\\.warroom\\.(?:([a-z]\\w*)\\.|[A-Z])");

  @Test
  void noPackageDependsOnItselfThroughOthers() throws IOException {
    Map<String, Set<String>> uses = uses();
    assertTrue(uses.size() > 10, "read the packages: " + uses.keySet());
    List<List<String>> cycles = cycles(uses);
    assertEquals(List.of(), cycles, "package cycles; uses: " + uses);
  }

  @Test
  void theStoreKnowsNothingOfAlertsTeamsOrTheLiveService() throws IOException {
    Set<String> store = uses().get("store");
    for (String p : List.of("alert", "team", "live", "notify", "stream", "http", "app")) {
      assertTrue(!store.contains(p), "store uses " + p + ": " + store);
    }
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> uses = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"),
        "c", Set.of("a"), "d", Set.of("a")));
    assertEquals(List.of(List.of("a", "b", "c")), cycles(uses));
  }

  /** Package (relative to io.warroom, "" for the root) to the packages its sources name. */
  private static Map<String, Set<String>> uses() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Path dir = MAIN.relativize(f.getParent());
        String pkg = dir.toString().replace('/', '.');
        Set<String> to = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = NAME.matcher(Files.readString(f));
        while (m.find()) {
          String used = m.group(1) == null ? "" : m.group(1);
          if (!used.equals(pkg)) to.add(used);
        }
      }
    }
    return uses;
  }

  /** The strongly connected groups of more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> uses) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<List<String>> out = new ArrayList<>();
    for (String p : uses.keySet()) {
      if (!index.containsKey(p)) visit(p, uses, index, low, stack, out);
    }
    return out;
  }

  private static void visit(String p, Map<String, Set<String>> uses, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, List<List<String>> out) {
    index.put(p, index.size());
    low.put(p, index.get(p));
    stack.push(p);
    for (String q : uses.getOrDefault(p, Set.of())) {
      if (!index.containsKey(q)) {
        visit(q, uses, index, low, stack, out);
        low.put(p, Math.min(low.get(p), low.get(q)));
      } else if (stack.contains(q)) {
        low.put(p, Math.min(low.get(p), index.get(q)));
      }
    }
    if (low.get(p).equals(index.get(p))) {
      List<String> group = new ArrayList<>();
      String q;
      do {
        q = stack.pop();
        group.add(q);
      } while (!q.equals(p));
      if (group.size() > 1) {
        group.sort(null);
        out.add(group);
      }
    }
  }
}
