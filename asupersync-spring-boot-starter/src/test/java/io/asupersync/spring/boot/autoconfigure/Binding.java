package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;

/** Binds one properties record the way Boot does at startup, from name=value pairs. */
final class Binding {

  private Binding() {}

  static <T> T bind(String prefix, Class<T> type, String... pairs) {
    return binder(pairs).bindOrCreate(prefix, type);
  }

  /** Binds, expecting an {@link InvalidAsupersyncPropertyException} at the root of the failure. */
  static InvalidAsupersyncPropertyException failure(String prefix, Class<?> type, String... pairs) {
    Throwable thrown = catchThrowable(() -> bind(prefix, type, pairs));
    assertThat(thrown).as("binding %s", String.join(", ", pairs)).isNotNull();
    Throwable root = NestedExceptionUtils.getMostSpecificCause(thrown);
    assertThat(root).isInstanceOf(InvalidAsupersyncPropertyException.class);
    return (InvalidAsupersyncPropertyException) root;
  }

  private static Binder binder(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return new Binder(new MapConfigurationPropertySource(map));
  }
}
