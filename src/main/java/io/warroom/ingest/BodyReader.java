package io.warroom.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ingest body (JSON, NDJSON or CSV) into validated records and per-row errors, with
 * Jackson's streaming parsers so a large body never becomes a tree at once; repeats of a (type, id)
 * within the body are set apart here too. Pure CPU work: callers run it off the event loop.
 */
public final class BodyReader {
  public enum Format { JSON, NDJSON, CSV }

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          // Long numbers and strings are a row's problem, not the body's (the body's size is
          // bounded already): number() refuses a long number before computing it.
          .maxNestingDepth(64).maxStringLength(Integer.MAX_VALUE)
          .maxNumberLength(Integer.MAX_VALUE).build())
      .build();
  private static final CsvMapper CSV = new CsvMapper();
  /** The longest number text read: far past any valid amount (13 digits and 2 decimals). */
  static final int MAX_NUMBER_CHARS = 100;
  /** Stands for bytes that are not UTF-8 in a CSV body: a lone surrogate, never decoded from UTF-8. */
  private static final String NOT_UTF8 = "\uDFFF";

  private final RecordType fixedType;
  private final RowValidator validator;
  private final int maxRows;

  /**
   * @param fixedType the endpoint's type, or null for /api/v1/events (each record has `type`)
   * @param categories the plan's budget categories
   * @param nowMillis the current time
   */
  public BodyReader(RecordType fixedType, Set<String> categories, long nowMillis) {
    this(fixedType, categories, nowMillis, Integer.MAX_VALUE);
  }

  /** @param maxRows more rows than this in one body is a 413 */
  public BodyReader(RecordType fixedType, Set<String> categories, long nowMillis, int maxRows) {
    this.fixedType = fixedType;
    this.validator = new RowValidator(categories, nowMillis);
    this.maxRows = maxRows;
  }

  private void countRow(ParsedBody out) {
    if (++out.rows > maxRows) {
      throw new BodyException(413, "more than " + maxRows + " rows in one request; split the body");
    }
  }

  /** The body format for a Content-Type header, or a 415 {@link BodyException}. */
  public static Format format(String contentType) {
    if (contentType == null) throw new BodyException(415, "Content-Type is required: "
        + "application/json, application/x-ndjson or text/csv");
    String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    switch (mime) {
      case "application/json": return Format.JSON;
      case "application/x-ndjson": case "application/ndjson": case "application/jsonl":
        return Format.NDJSON;
      case "text/csv": return Format.CSV;
      default:
        throw new BodyException(415, "unsupported Content-Type '" + mime
            + "': use application/json, application/x-ndjson or text/csv");
    }
  }

  public ParsedBody read(Format format, byte[] body) {
    ParsedBody out = new ParsedBody();
    switch (format) {
      case JSON -> readJson(body, out);
      case NDJSON -> readNdjson(body, out);
      case CSV -> readCsv(body, out);
    }
    out.unique = ParsedBody.firstOfEach(out.records);
    return out;
  }

  private void accept(RawRow raw, ParsedBody out) {
    countRow(out);
    try {
      RecordType type = fixedType != null ? fixedType : RowValidator.typeOf(raw);
      out.records.add(validator.validate(type, raw));
      out.recordRows.add(raw.row);
    } catch (RejectException e) {
      out.rejected.add(new RowError(raw.row, e.field, e.getMessage()));
    }
  }

  /** JSON bodies are UTF-8; Jackson would otherwise take UTF-16 or UTF-32 by their byte pattern. */
  private static boolean looksUtf16or32(byte[] b, int start, int len) {
    if (len >= 2 && ((b[start] == (byte) 0xFE && b[start + 1] == (byte) 0xFF)
        || (b[start] == (byte) 0xFF && b[start + 1] == (byte) 0xFE))) {
      return true;
    }
    for (int i = start; i < start + Math.min(len, 4); i++) if (b[i] == 0) return true;
    return false;
  }

  /**
   * The offset of the first byte that is not UTF-8 (RFC 3629: no overlong forms, nothing past
   * U+10FFFF, no surrogate pair in two three-byte forms), or -1: Jackson would read an overlong
   * "\xC1\x81" as "A". A lone surrogate's three bytes pass here; Jackson reads them as that
   * surrogate, which the row's checks refuse by field.
   */
  static int badUtf8(byte[] b, int start, int len) {
    int end = start + len;
    int i = start;
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        if (c == 0xE0) lo = 0xA0;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
      } else {
        return i;
      }
      if (i + n >= end) return i;
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) return i;
      // a high surrogate then a low one (CESU-8): Jackson would join them into one character
      if (c == 0xED && second >= 0xA0 && second <= 0xAF && i + 5 < end
          && (b[i + 3] & 0xFF) == 0xED && (b[i + 4] & 0xFF) >= 0xB0 && (b[i + 4] & 0xFF) <= 0xBF) {
        return i;
      }
      for (int k = 2; k <= n; k++) {
        int x = b[i + k] & 0xFF;
        if (x < 0x80 || x > 0xBF) return i;
      }
      i += n + 1;
    }
    return -1;
  }

  private void readJson(byte[] body, ParsedBody out) {
    if (looksUtf16or32(body, 0, body.length)) throw new BodyException(400, "body is not valid UTF-8");
    int bad = badUtf8(body, 0, body.length);
    if (bad >= 0) throw new BodyException(400, "body is not valid UTF-8 (byte " + bad + ")");
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) throw new BodyException(400, "body is empty");
      if (first == JsonToken.START_OBJECT) {
        accept(readObject(p, 1), out);
      } else if (first == JsonToken.START_ARRAY) {
        int row = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) throw new BodyException(400, "body is not valid JSON: the array is not closed");
          row++;
          if (t == JsonToken.START_OBJECT) {
            accept(readObject(p, row), out);
          } else {
            p.skipChildren();
            countRow(out);
            out.rejected.add(new RowError(row, null, "must be a JSON object"));
          }
        }
      } else {
        throw new BodyException(400, "body must be a JSON object or an array of objects");
      }
      if (p.nextToken() != null) {
        throw new BodyException(400, "body is not valid JSON: content after the end of the value");
      }
    } catch (IOException e) {
      throw new BodyException(400, "body is not valid JSON: " + describe(e));
    }
  }

  private void readNdjson(byte[] body, ParsedBody out) {
    int line = 0;
    int start = 0;
    while (start < body.length) {
      int end = start;
      while (end < body.length && body[end] != '\n') end++;
      line++;
      int len = end - start;
      if (len > 0 && body[end - 1] == '\r') len--;
      if (!isBlank(body, start, len)
          && (looksUtf16or32(body, start, len) || badUtf8(body, start, len) >= 0)) {
        countRow(out);
        out.rejected.add(new RowError(line, null, "cannot be read: not UTF-8"));
      } else if (!isBlank(body, start, len)) {
        try (JsonParser p = JSON.createParser(body, start, len)) {
          JsonToken t = p.nextToken();
          if (t != JsonToken.START_OBJECT) {
            countRow(out);
            out.rejected.add(new RowError(line, null, "must be a JSON object"));
          } else {
            RawRow raw = readObject(p, line);
            if (p.nextToken() != null) {
              countRow(out);
              out.rejected.add(new RowError(line, null, "cannot be read: content after the object"));
            } else {
              accept(raw, out);
            }
          }
        } catch (IOException e) {
          countRow(out);
          out.rejected.add(new RowError(line, null, "cannot be read: " + describe(e)));
        }
      }
      start = end + 1;
    }
  }

  private void readCsv(byte[] body, ParsedBody out) {
    // Bytes that are not UTF-8 become a lone surrogate, which valid UTF-8 never decodes to: the row
    // holding them is rejected, naming its column, as NDJSON rejects such a line.
    String text = utf8(body);
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
    int row = 0;
    try (MappingIterator<String[]> it = CSV.readerForArrayOf(String.class)
        .with(CsvParser.Feature.WRAP_AS_ARRAY)
        .with(CsvParser.Feature.SKIP_EMPTY_LINES)
        .readValues(text)) {
      if (!it.hasNextValue()) throw new BodyException(400, "CSV body has no header row");
      String[] header = it.nextValue();
      for (int i = 0; i < header.length; i++) {
        header[i] = header[i].trim();
        if (ValidText.hasLoneSurrogate(header[i])) {
          throw new BodyException(400, "CSV header row is not valid UTF-8 (column " + (i + 1) + ")");
        }
      }
      // a field named twice would be read from whichever column comes last
      Map<String, Integer> columns = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        Integer first = header[i].isEmpty() ? null : columns.putIfAbsent(header[i], i);
        if (first != null) {
          String name = header[i].length() > 64 ? header[i].substring(0, 64) + "…" : header[i];
          throw new BodyException(400, "CSV header names " + name + " twice (columns "
              + (first + 1) + " and " + (i + 1) + ")");
        }
      }
      while (true) {
        try {
          if (!it.hasNextValue()) break;
          String[] cells = it.nextValue();
          row++;
          if (cells.length > header.length) {
            countRow(out);
            out.rejected.add(new RowError(row, null,
                "has " + cells.length + " cells; the header has " + header.length));
            continue;
          }
          int bad = notUtf8(cells);
          if (bad >= 0) {
            countRow(out);
            out.rejected.add(new RowError(row, header[bad], "is not valid UTF-8"));
            continue;
          }
          RawRow raw = new RawRow(row, true);
          for (int i = 0; i < cells.length; i++) {
            if (!cells[i].isEmpty()) raw.values.put(header[i], cells[i]);
          }
          accept(raw, out);
        } catch (RuntimeException | IOException e) {
          row++;
          countRow(out);
          out.rejected.add(new RowError(row, null,
              "cannot be read: " + describe(e) + "; the rows after it were not read"));
          break;
        }
      }
    } catch (IOException e) {
      throw new BodyException(400, "CSV body cannot be read: " + describe(e));
    }
  }

  /** Reads the fields of the object whose START_OBJECT the parser is on. */
  private static RawRow readObject(JsonParser p, int row) throws IOException {
    RawRow raw = new RawRow(row, false);
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      Object value;
      switch (v) {
        case VALUE_STRING -> value = p.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = number(p, v == JsonToken.VALUE_NUMBER_INT);
        case VALUE_TRUE -> value = Boolean.TRUE;
        case VALUE_FALSE -> value = Boolean.FALSE;
        case VALUE_NULL -> value = null;
        case START_ARRAY -> value = readStrings(p);
        default -> {
          p.skipChildren();
          value = RawRow.NESTED;
        }
      }
      if (value == null) raw.values.remove(name);
      else raw.values.put(name, value);
    }
    if (t != JsonToken.END_OBJECT) throw new IOException("unexpected " + t);
    return raw;
  }

  /**
   * A JSON number, or {@link RawRow#OUT_OF_RANGE} when it has more than {@link #MAX_NUMBER_CHARS}
   * characters (a long one would take quadratic time to compute) or its exponent is past what a
   * BigDecimal holds.
   */
  private static Object number(JsonParser p, boolean integral) throws IOException {
    if (p.getTextLength() > MAX_NUMBER_CHARS) return RawRow.OUT_OF_RANGE;
    try {
      return new RawRow.Num(p.getDecimalValue(), integral);
    } catch (NumberFormatException | ArithmeticException e) {
      return RawRow.OUT_OF_RANGE;
    }
  }

  /**
   * An array of strings (such as tags), read up to {@link #MAX_ITEMS} entries; any other array is
   * {@link RawRow#NESTED}.
   */
  private static Object readStrings(JsonParser p) throws IOException {
    List<String> items = new ArrayList<>();
    boolean strings = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) throw new IOException("the array is not closed");
      if (t == JsonToken.VALUE_STRING) {
        if (items.size() <= MAX_ITEMS) items.add(p.getText());
      } else {
        strings = false;
        p.skipChildren();
      }
    }
    return strings ? new RawRow.Strings(items) : RawRow.NESTED;
  }

  /** Entries of an array kept for validation: one more than any field allows. */
  static final int MAX_ITEMS = 101;

  private static boolean isBlank(byte[] b, int start, int len) {
    for (int i = start; i < start + len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
    }
    return true;
  }

  /** The first cell holding bytes that were not UTF-8, or -1. */
  private static int notUtf8(String[] cells) {
    for (int i = 0; i < cells.length; i++) if (ValidText.hasLoneSurrogate(cells[i])) return i;
    return -1;
  }

  /** The body as text; each run of bytes that is not UTF-8 becomes the lone surrogate U+DFFF. */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .replaceWith(NOT_UTF8)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new BodyException(400, "body is not valid UTF-8");
    }
  }

  private static String describe(Exception e) {
    String m = e instanceof JacksonException je ? je.getOriginalMessage()
        : e.getMessage();
    if (m == null) m = e.getClass().getSimpleName();
    m = m.replace('\n', ' ');
    return m.length() > 160 ? m.substring(0, 160) + "…" : m;
  }
}
