package io.asupersync.protocols.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered list of header fields. Names are compared case-insensitively and stored in
 * lower case (the form HTTP/2 puts on the wire); values keep their order of arrival, so a repeated field
 * keeps every value.
 */
public final class HttpHeaders implements Iterable<Map.Entry<String, String>> {

  private static final HttpHeaders EMPTY = new HttpHeaders(List.of());

  private final List<Map.Entry<String, String>> fields;

  private HttpHeaders(List<Map.Entry<String, String>> fields) {
    this.fields = fields;
  }

  public static HttpHeaders empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("content-type", "text/plain", "x-a", "1")}. */
  public static HttpHeaders of(String... namesAndValues) {
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
    return new Builder(new ArrayList<>());
  }

  /** The first value of {@code name}, or {@code null} when absent. */
  public @Nullable String first(String name) {
    String key = normalize(name);
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equals(key)) {
        return field.getValue();
      }
    }
    return null;
  }

  /** Every value of {@code name} in order of arrival; empty when absent. */
  public List<String> all(String name) {
    String key = normalize(name);
    List<String> values = new ArrayList<>(2);
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equals(key)) {
        values.add(field.getValue());
      }
    }
    return Collections.unmodifiableList(values);
  }

  public boolean contains(String name) {
    return first(name) != null;
  }

  /** Distinct names in order of first arrival, lower case. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (Map.Entry<String, String> field : fields) {
      names.add(field.getKey());
    }
    return Collections.unmodifiableSet(names);
  }

  /** Number of fields, counting each repeated value. */
  public int size() {
    return fields.size();
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /** A builder that starts with these fields. */
  public Builder toBuilder() {
    return new Builder(new ArrayList<>(fields));
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return fields.iterator();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof HttpHeaders headers && headers.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /** Names only: values may be credentials, so they never reach a log line through this method. */
  @Override
  public String toString() {
    return "HttpHeaders" + names();
  }

  private static String normalize(String name) {
    Objects.requireNonNull(name, "name");
    return name.toLowerCase(Locale.ROOT);
  }

  /** Collects fields in order; not thread-safe. */
  public static final class Builder {
    private final List<Map.Entry<String, String>> fields;

    private Builder(List<Map.Entry<String, String>> fields) {
      this.fields = fields;
    }

    /** Appends a field, keeping any earlier values of the same name. */
    public Builder add(String name, String value) {
      fields.add(Map.entry(normalize(name), Objects.requireNonNull(value, "value")));
      return this;
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    public Builder remove(String name) {
      String key = normalize(name);
      fields.removeIf(field -> field.getKey().equals(key));
      return this;
    }

    public HttpHeaders build() {
      return fields.isEmpty() ? EMPTY : new HttpHeaders(List.copyOf(fields));
    }
  }
}
