package io.asupersync.protocols.nats.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The small JSON subset the NATS and JetStream APIs need: a reader that turns a document into maps,
 * lists, strings, {@code Long} or {@code Double} numbers, booleans and {@link #NULL}, and a writer
 * for flat objects. The reader's work is linear in its input, nesting is capped at {@value
 * #MAX_DEPTH}, and callers bound the input (a control line, a payload), so a hostile document cannot
 * make it allocate more than a small multiple of its own size. Not API.
 */
public final class Json {

  /** Deepest nesting of objects and arrays the reader accepts. */
  public static final int MAX_DEPTH = 32;

  /** Stands for a JSON {@code null} (maps and lists here hold no Java nulls). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Reads one JSON value that makes up all of {@code text} (surrounding whitespace allowed).
   *
   * @throws IllegalArgumentException if it is not valid JSON or nests deeper than {@link #MAX_DEPTH}
   */
  public static Object parse(String text) {
    Json reader = new Json(text);
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("trailing characters");
    }
    return value;
  }

  /** {@link #parse} of a document that must be an object. */
  public static Map<String, Object> parseObject(String text) {
    if (parse(text) instanceof Map<?, ?> map) {
      return cast(map);
    }
    throw new IllegalArgumentException("JSON document is not an object");
  }

  /** The object under {@code key}, or null if absent or not an object. */
  public static @Nullable Map<String, Object> object(Map<String, Object> map, String key) {
    return map.get(key) instanceof Map<?, ?> m ? cast(m) : null;
  }

  /** The string under {@code key}, or null if absent or not a string. */
  public static @Nullable String string(Map<String, Object> map, String key) {
    return map.get(key) instanceof String s ? s : null;
  }

  /** The integral number under {@code key}, or {@code fallback} if absent or not an integer. */
  public static long number(Map<String, Object> map, String key, long fallback) {
    return map.get(key) instanceof Long l ? l : fallback;
  }

  /** The boolean under {@code key}, or {@code fallback} if absent or not a boolean. */
  public static boolean bool(Map<String, Object> map, String key, boolean fallback) {
    return map.get(key) instanceof Boolean b ? b : fallback;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private Object value(int depth) {
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    checkDepth(depth);
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      map.put(key, value(depth));
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    pos++;
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      list.add(value(depth));
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder out = null;
    int start = pos;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = out == null ? text.substring(start, pos) : out.append(text, start, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c == '\\') {
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(text, start, pos);
        pos++;
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("truncated escape");
            }
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int digit = Character.digit(text.charAt(pos + i), 16);
              if (digit < 0) {
                throw error("bad escape");
              }
              code = code * 16 + digit;
            }
            pos += 4;
            out.append((char) code);
          }
          default -> throw error("bad escape");
        }
        start = pos;
      } else {
        pos++;
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = 0;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
      digits++;
    }
    if (digits == 0) {
      throw error("bad number");
    }
    boolean integral = true;
    if (pos < text.length() && text.charAt(pos) == '.') {
      integral = false;
      pos++;
      int fraction = 0;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
        fraction++;
      }
      if (fraction == 0) {
        throw error("bad number");
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      integral = false;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      int exponent = 0;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
        exponent++;
      }
      if (exponent == 0) {
        throw error("bad number");
      }
    }
    String literal = text.substring(start, pos);
    if (integral && digits <= 18) {
      return Long.parseLong(literal);
    }
    // Beyond 18 digits (or with a fraction) the exact value does not matter to any field we read.
    return Double.parseDouble(literal);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected literal");
    }
    pos += word.length();
    return value;
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("malformed JSON at offset " + pos + ": " + what);
  }

  /** Writes one flat-or-nested JSON object; values are strings, numbers, booleans, lists of strings or nested writers. */
  public static final class Writer {
    private final StringBuilder out = new StringBuilder("{");
    private boolean first = true;

    public Writer put(String key, @Nullable String value) {
      if (value != null) {
        name(key);
        quote(value);
      }
      return this;
    }

    public Writer put(String key, long value) {
      name(key);
      out.append(value);
      return this;
    }

    public Writer put(String key, boolean value) {
      name(key);
      out.append(value);
      return this;
    }

    public Writer put(String key, List<String> values) {
      name(key);
      out.append('[');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        quote(values.get(i));
      }
      out.append(']');
      return this;
    }

    public Writer put(String key, Writer nested) {
      name(key);
      out.append(nested.toJson());
      return this;
    }

    private void name(String key) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(key);
      out.append(':');
    }

    private void quote(String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }

    public String toJson() {
      return out + "}";
    }

    @Override
    public String toString() {
      return toJson();
    }
  }
}
