package io.warroom.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.warroom.ingest.RecordType;
import io.warroom.report.Report;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code warroom import --type orders FILE [--url U] [--token T] [--batch N]}: backfills a CSV or
 * NDJSON file into a running server through the ordinary ingest endpoints, in batches.
 *
 * <p>Resumable: after each acknowledged batch, FILE.progress records how many rows are done (and
 * how long the rejected file was then); a new run with the same arguments skips those rows. A batch
 * sent twice (killed after the server stored it, before the progress was written) is safe: the
 * server counts a repeated id as a duplicate. Rejected rows go to FILE.rejected.csv (or .ndjson)
 * with their row number in the file, field and reason. Retries 429/502/503/504 and connection
 * failures with back-off (Retry-After when given).
 */
public final class ImportCommand {
  public static final int OK = 0;
  public static final int SOME_REJECTED = 1;
  public static final int USAGE = 2;
  public static final int REFUSED = 3;
  public static final int UNREACHABLE = 4;

  static final String USAGE_TEXT = "usage: warroom import --type orders|refunds|spend|visits|nps|counts|events"
      + " FILE [--url http://127.0.0.1:8080] [--token TOKEN] [--batch 5000] [--format csv|ndjson]\n"
      + "exit codes: 0 all rows stored (or already there), 1 done with rejected rows (see"
      + " FILE.rejected.*), 2 usage or file error, 3 refused by the server, 4 server unreachable"
      + " or busy after retries (run again to resume)";
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * A line of the rejected-rows file (row, field, error, record), which is opened in spreadsheets:
   * text quoted, and neutralised so that no formula runs.
   */
  private static final ObjectWriter REJECTED_ROW = new CsvMapper()
      .enable(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS)
      .writer(CsvSchema.builder().addNumberColumn("row").addColumn("field").addColumn("error")
          .addColumn("record").build());

  private final PrintStream err;
  private String type;
  private Path file;
  private String url = "http://127.0.0.1:8080";
  private String token = System.getenv("WARROOM_TOKEN");
  private int batchSize = 5000;
  private boolean csv;
  private int maxAttempts = 10;
  private long firstBackoffMs = 250;

  private ImportCommand(PrintStream err) {
    this.err = err;
  }

  /** Runs the command; answers the exit code. */
  public static int run(String[] args, PrintStream err) {
    ImportCommand c = new ImportCommand(err);
    try {
      c.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("warroom import: " + e.getMessage());
      err.println(USAGE_TEXT);
      return USAGE;
    }
    try {
      return c.importFile();
    } catch (IOException e) {
      err.println("\nwarroom import: " + e.getMessage());
      return USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNREACHABLE;
    }
  }

  private void parse(String[] args) {
    String format = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (file != null) throw new IllegalArgumentException("one FILE only ('" + a + "')");
        file = Path.of(a);
        continue;
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
      String v = args[++i];
      switch (a) {
        case "--type" -> type = v;
        case "--url" -> url = v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        case "--token" -> token = v;
        case "--format" -> format = v;
        case "--batch" -> {
          try {
            batchSize = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            batchSize = 0;
          }
          if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("--batch must be 1..100000");
          }
        }
        case "--retries" -> maxAttempts = Math.max(1, Integer.parseInt(v));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (type == null) throw new IllegalArgumentException("--type is required");
    String path = pathOf(type);
    if (path == null) throw new IllegalArgumentException("--type: unknown type '" + type + "'");
    type = path;
    if (file == null) throw new IllegalArgumentException("FILE is required");
    String name = file.getFileName().toString().toLowerCase();
    if (format == null) {
      if (name.endsWith(".csv")) format = "csv";
      else if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) format = "ndjson";
      else throw new IllegalArgumentException("cannot tell the format of '" + file
          + "' from its name; give --format csv or --format ndjson");
    }
    if (!format.equals("csv") && !format.equals("ndjson")) {
      throw new IllegalArgumentException("--format must be csv or ndjson");
    }
    csv = format.equals("csv");
    try {
      URI u = URI.create(url);
      if (u.getHost() == null || !u.getScheme().startsWith("http")) throw new IllegalArgumentException();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--url: '" + url + "' is not an http(s) URL");
    }
  }

  /** The endpoint path for a type given as order/orders/.../events. */
  static String pathOf(String t) {
    if (t.equals("events")) return "events";
    for (RecordType r : RecordType.values()) {
      if (r.wire.equals(t) || r.path.equals(t)) return r.path;
    }
    return null;
  }

  Path progressFile() {
    return file.resolveSibling(file.getFileName() + ".progress");
  }

  Path rejectedFile() {
    return file.resolveSibling(file.getFileName() + (csv ? ".rejected.csv" : ".rejected.ndjson"));
  }

  private int importFile() throws IOException, InterruptedException {
    if (!Files.isReadable(file)) throw new IOException("cannot read " + file);
    long size = Files.size(file);
    Progress p = Progress.read(progressFile());
    if (p != null && (p.size != size || !p.type.equals(type))) {
      throw new IOException(file + " or --type changed since the interrupted import; delete "
          + progressFile() + " to start over");
    }
    boolean resuming = p != null;
    if (p == null) p = new Progress(type, size);
    else err.println("resuming " + file + " after row " + p.rows);
    Path rejected = rejectedFile();
    try (FileChannel ch = FileChannel.open(rejected, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.truncate(resuming ? p.rejectedBytes : 0);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Records records = new Records(in, csv);
      String header = csv ? records.next() : null;
      if (csv && header == null) throw new IOException(file + " is empty: a CSV file needs a header row");
      if (csv && !header.isEmpty() && header.charAt(0) == '\uFEFF') header = header.substring(1);
      if (csv && p.rejectedBytes == 0) {
        Files.writeString(rejected, "row,field,error,record\n", StandardOpenOption.APPEND);
      }
      for (long skip = 0; skip < p.rows; skip++) {
        if (records.next() == null) break;
      }
      bar(p, records.bytes, size);
      while (true) {
        List<String> batch = new ArrayList<>();
        List<Long> rowNumbers = new ArrayList<>();
        String rec;
        while (batch.size() < batchSize && (rec = records.next()) != null) {
          batch.add(rec);
          rowNumbers.add(records.number);
        }
        if (batch.isEmpty()) break;
        StringBuilder body = new StringBuilder();
        if (csv) body.append(header).append('\n');
        for (String r : batch) body.append(r).append('\n');
        JsonNode answer = send(http, body.toString(), p);
        if (answer == null) return p.exitCode;
        StringBuilder out = new StringBuilder();
        for (JsonNode e : answer.path("rejected")) {
          int row = e.path("row").asInt();
          long fileRow = row >= 1 && row <= rowNumbers.size() ? rowNumbers.get(row - 1) : -1;
          String record = row >= 1 && row <= batch.size() ? batch.get(row - 1) : "";
          String field = e.path("field").isTextual() ? e.path("field").asText() : "";
          String error = e.path("error").asText();
          if (csv) {
            out.append(REJECTED_ROW.writeValueAsString(new Object[] {fileRow, Report.text(field),
                Report.text(error), Report.text(record)}));
          } else {
            ObjectNode o = JSON.createObjectNode();
            o.put("row", fileRow);
            o.put("field", field.isEmpty() ? null : field);
            o.put("error", error);
            o.put("record", record);
            out.append(o).append('\n');
          }
        }
        if (out.length() > 0) Files.writeString(rejected, out, StandardOpenOption.APPEND);
        p.rows += batch.size();
        p.accepted += answer.path("accepted").asLong();
        p.duplicates += answer.path("duplicates").asLong();
        p.rejected += answer.path("rejected").size();
        p.rejectedBytes = Files.size(rejected);
        p.write(progressFile());
        bar(p, records.bytes, size);
      }
    }
    err.println();
    err.printf("done: %,d rows; %,d stored, %,d already there, %,d rejected%s%n", p.rows,
        p.accepted, p.duplicates, p.rejected, p.rejected > 0 ? " (see " + rejected + ")" : "");
    Files.deleteIfExists(progressFile());
    if (p.rejected == 0) Files.deleteIfExists(rejected);
    return p.rejected > 0 ? SOME_REJECTED : OK;
  }

  /** POSTs one batch; retries what may pass later. Null (and p.exitCode set) when giving up. */
  private JsonNode send(HttpClient http, String body, Progress p)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/v1/" + type))
        .timeout(Duration.ofMinutes(2))
        .header("Content-Type", csv ? "text/csv" : "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
    long backoff = firstBackoffMs;
    String last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      long wait = backoff;
      try {
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        int s = r.statusCode();
        if (s == 200) return JSON.readTree(r.body());
        last = "HTTP " + s + ": " + message(r.body());
        if (s != 429 && s != 502 && s != 503 && s != 504) {
          err.println("\nwarroom import: the server refused the batch after row " + p.rows + " ("
              + last + "); fix it and run again to resume");
          p.exitCode = REFUSED;
          return null;
        }
        String after = r.headers().firstValue("Retry-After").orElse(null);
        if (after != null) {
          try {
            wait = Math.max(wait, Long.parseLong(after.trim()) * 1000);
          } catch (NumberFormatException ignored) {
            // a date form: keep the back-off
          }
        }
      } catch (IOException e) {
        last = "cannot reach " + url + ": " + e;
      }
      if (attempt < maxAttempts) {
        Thread.sleep(wait);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
    err.println("\nwarroom import: gave up after " + maxAttempts + " attempts (" + last
        + "); run the same command again to resume after row " + p.rows);
    p.exitCode = UNREACHABLE;
    return null;
  }

  private static String message(String body) {
    try {
      return JSON.readTree(body).path("error").asText(body);
    } catch (IOException e) {
      return body.length() > 200 ? body.substring(0, 200) : body;
    }
  }

  private void bar(Progress p, long done, long size) {
    int width = 30;
    double f = size == 0 ? 1 : Math.min(1, (double) done / size);
    int full = (int) Math.round(f * width);
    err.printf("\r[%s%s] %3d%%  %,d rows  stored %,d  dup %,d  rejected %,d", "#".repeat(full),
        " ".repeat(width - full), Math.round(f * 100), p.rows, p.accepted, p.duplicates, p.rejected);
    err.flush();
  }

  /** Logical records of a file: lines, or CSV rows whose quoted cells may hold line breaks. */
  static final class Records {
    private final Reader in;
    private final boolean csv;
    /** Characters consumed (close to bytes for the progress bar). */
    long bytes;
    /** The row number of the last record: its line (NDJSON) or data row (CSV, header excluded). */
    long number;
    private long line;
    private boolean headerSeen;

    Records(Reader in, boolean csv) {
      this.in = in;
      this.csv = csv;
    }

    /** The next non-blank record without its line break, or null at the end. */
    String next() throws IOException {
      while (true) {
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
          any = true;
          bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
          if (c == '"' && csv) quoted = !quoted;
          if (c == '\n' && !quoted) break;
          if (c == '\n') line++;
          b.append((char) c);
        }
        if (!any) return null;
        line++;
        if (b.length() > 0 && b.charAt(b.length() - 1) == '\r') b.setLength(b.length() - 1);
        if (b.toString().isBlank()) continue;
        if (csv) {
          if (headerSeen) number++;
          headerSeen = true;
        } else {
          number = line;
        }
        return b.toString();
      }
    }
  }

  /** What FILE.progress holds. */
  static final class Progress {
    String type;
    long size;
    long rows;
    long accepted;
    long duplicates;
    long rejected;
    long rejectedBytes;
    transient int exitCode;

    Progress(String type, long size) {
      this.type = type;
      this.size = size;
    }

    static Progress read(Path f) throws IOException {
      if (!Files.exists(f)) return null;
      JsonNode n = JSON.readTree(Files.readString(f));
      Progress p = new Progress(n.path("type").asText(), n.path("size").asLong());
      p.rows = n.path("rows").asLong();
      p.accepted = n.path("accepted").asLong();
      p.duplicates = n.path("duplicates").asLong();
      p.rejected = n.path("rejected").asLong();
      p.rejectedBytes = n.path("rejectedBytes").asLong();
      return p;
    }

    /** Written to a temporary file and moved over the old one, so a kill leaves one or the other. */
    void write(Path f) throws IOException {
      ObjectNode o = JSON.createObjectNode();
      o.put("type", type).put("size", size).put("rows", rows).put("accepted", accepted)
          .put("duplicates", duplicates).put("rejected", rejected).put("rejectedBytes", rejectedBytes);
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.writeString(tmp, o.toString());
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
