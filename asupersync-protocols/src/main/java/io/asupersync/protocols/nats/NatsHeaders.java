package io.asupersync.protocols.nats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The header section of a NATS message ({@code NATS/1.0} block): an immutable, ordered list of
 * fields, and for server-generated messages a status code and description ({@code NATS/1.0 503}).
 *
 * <p>Names keep their case on the wire, because the server matches some of them exactly ({@code
 * Nats-Msg-Id}); lookups ignore case. A repeated field keeps every value in order of arrival.
 */
public final class NatsHeaders {

  private static final NatsHeaders EMPTY = new NatsHeaders(0, "", List.of());

  private final int status;
  private final String description;
  private final List<Map.Entry<String, String>> fields;

  private NatsHeaders(int status, String description, List<Map.Entry<String, String>> fields) {
    this.status = status;
    this.description = description;
    this.fields = fields;
  }

  public static NatsHeaders empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("Nats-Msg-Id", "order-7")}. */
  public static NatsHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The status code of the header line ({@code 503} for no responders), 0 when it has none. */
  public int status() {
    return status;
  }

  /** The text after the status code, empty when there is none. */
  public String description() {
    return description;
  }

  /** The first value of {@code name} (compared ignoring case), or null when absent. */
  public @Nullable String first(String name) {
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        return field.getValue();
      }
    }
    return null;
  }

  /** Every value of {@code name} (compared ignoring case) in order of arrival; empty when absent. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>(2);
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        values.add(field.getValue());
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** Distinct names in order of first arrival, as they were written. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (Map.Entry<String, String> field : fields) {
      names.add(field.getKey());
    }
    return Collections.unmodifiableSet(names);
  }

  /** Every field in order, names as written. */
  public List<Map.Entry<String, String>> fields() {
    return fields;
  }

  /** Whether there is neither a field nor a status. */
  public boolean isEmpty() {
    return fields.isEmpty() && status == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NatsHeaders h && h.status == status && h.description.equals(description) && h.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, description, fields);
  }

  /** Names only: values may carry identifiers and are not printed. */
  @Override
  public String toString() {
    return "NatsHeaders[" + (status != 0 ? status + " " : "") + names() + "]";
  }

  /** Collects fields; names and values are checked for what the wire format cannot carry. */
  public static final class Builder {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();
    private int status;
    private String description = "";

    private Builder() {}

    /**
     * Adds one field.
     *
     * @throws IllegalArgumentException if the name is empty or holds a colon, whitespace or a
     *     control character, or the value holds CR or LF
     */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("header name must not be empty");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c == ':' || c == 0x7f) {
          throw new IllegalArgumentException("header name holds a character NATS cannot carry");
        }
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header value must not hold CR or LF");
      }
      fields.add(Map.entry(name, value));
      return this;
    }

    /** Sets the status line, as a server does; clients normally leave it unset. */
    public Builder status(int code, String text) {
      if (code < 0 || code > 999) {
        throw new IllegalArgumentException("status must have at most three digits, was " + code);
      }
      if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("status description must not hold CR or LF");
      }
      this.status = code;
      this.description = text;
      return this;
    }

    public NatsHeaders build() {
      if (fields.isEmpty() && status == 0) {
        return EMPTY;
      }
      return new NatsHeaders(status, description, List.copyOf(fields));
    }
  }
}
