package io.asupersync;

import org.jspecify.annotations.Nullable;

/**
 * The code of a task or scope. It receives its capability context explicitly. A checked exception
 * becomes {@link Outcome.Err}; an unchecked one becomes {@link Outcome.Panicked}; a {@link
 * CancelledException} becomes {@link Outcome.Cancelled}.
 */
@FunctionalInterface
public interface TaskBody<T extends @Nullable Object> {
  T run(Cx cx) throws Exception;
}
