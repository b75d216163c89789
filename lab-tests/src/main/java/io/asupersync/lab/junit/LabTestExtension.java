package io.asupersync.lab.junit;

import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Strategy;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Drives {@link LabTest} methods: provides the invocations (all seeds in one, or one per seed), and
 * runs the method body inside {@link LabRuntime#run} once per seed, with the lab's {@link Cx}.
 *
 * <p>JUnit resolves parameters before it invokes a method, and the lab's {@code Cx} exists only inside
 * a run: the invocation therefore resolves the lab parameters to placeholders, skips JUnit's own call,
 * and calls the method itself inside each run with the placeholders replaced.
 */
public final class LabTestExtension implements TestTemplateInvocationContextProvider {

  /** System property or JUnit configuration parameter that restricts every lab test to one seed. */
  public static final String SEED_PROPERTY = "asupersync.lab.seed";

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getTestMethod(), LabTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    LabTest lab =
        AnnotationSupport.findAnnotation(method, LabTest.class)
            .orElseThrow(() -> new ExtensionConfigurationException(method + " is not annotated with @LabTest"));
    LabConfig base = baseConfig(lab, method);
    Optional<Long> pinned = pinnedSeed(context);
    if (pinned.isPresent()) {
      return Stream.of(new Seeds(base, pinned.get(), 1, true));
    }
    if (lab.invocationPerSeed()) {
      return LongStream.range(0, lab.runs()).mapToObj(i -> new Seeds(base, lab.seed() + i, 1, true));
    }
    return Stream.of(new Seeds(base, lab.seed(), lab.runs(), false));
  }

  private static LabConfig baseConfig(LabTest lab, Method method) {
    if (lab.runs() < 1) {
      throw new ExtensionConfigurationException("@LabTest(runs) must be at least 1 on " + method);
    }
    try {
      LabConfig config = LabConfig.seed(lab.seed()).withFaults(lab.faults()).withMaxSteps(lab.maxSteps());
      return lab.strategy() == Strategy.PCT ? config.withPct(lab.pctDepth(), lab.pctSteps()) : config;
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("invalid @LabTest on " + method + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Long> pinnedSeed(ExtensionContext context) {
    return context
        .getConfigurationParameter(SEED_PROPERTY)
        .or(() -> Optional.ofNullable(System.getProperty(SEED_PROPERTY)))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(
            s -> {
              try {
                return Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
              } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException(SEED_PROPERTY + " is not a number: " + s, e);
              }
            });
  }

  /** Seeds {@code first} to {@code first + count - 1}, run in one invocation. */
  private record Seeds(LabConfig base, long first, int count, boolean single)
      implements TestTemplateInvocationContext, ParameterResolver, InvocationInterceptor {

    @Override
    public String getDisplayName(int invocationIndex) {
      String seeds = single ? "seed " + first : "seeds " + first + ".." + (first + count - 1);
      String faults = base.faults() == FaultPreset.NONE ? "" : ", faults " + base.faults();
      String strategy =
          base.strategy() == Strategy.PCT
              ? "PCT depth " + base.pctDepth() + ", pctSteps " + base.pctExpectedSteps()
              : "RANDOM";
      return seeds + " (" + strategy + faults + ")";
    }

    @Override
    public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
      return List.of(this);
    }

    // ---- parameters: placeholders now, the run's values inside each run

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getDeclaringExecutable().equals(context.getTestMethod().orElse(null))
          && kindOf(parameter.getParameter().getType()) != null;
    }

    @Override
    public @Nullable Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return switch (kindOf(parameter.getParameter().getType())) {
        case CX -> null;
        case CONFIG -> base.withSeed(first);
        case SEED -> first;
        case null -> throw new IllegalStateException("unsupported parameter " + parameter);
      };
    }

    // ---- the call: every seed inside the lab

    @Override
    public void interceptTestTemplateMethod(
        Invocation<@Nullable Void> invocation,
        ReflectiveInvocationContext<Method> call,
        ExtensionContext context) {
      invocation.skip();
      Method method = call.getExecutable();
      Object target = call.getTarget().orElse(null);
      Class<?>[] types = method.getParameterTypes();
      List<Object> resolved = call.getArguments();
      for (int i = 0; i < count; i++) {
        LabConfig config = base.withSeed(first + i);
        LabRun<@Nullable Void> run =
            LabRuntime.run(
                config,
                cx -> {
                  Object[] args = resolved.toArray();
                  for (int p = 0; p < types.length; p++) {
                    Param kind = kindOf(types[p]);
                    if (kind != null) {
                      args[p] =
                          switch (kind) {
                            case CX -> cx;
                            case CONFIG -> config;
                            case SEED -> config.seed();
                          };
                    }
                  }
                  ReflectionSupport.invokeMethod(method, target, args);
                  return null;
                });
        String failure = failure(run);
        if (failure != null) {
          String where = count == 1 ? "" : " at run " + (i + 1) + " of " + count;
          AssertionError error = new AssertionError(failure + where + "\n" + run.report());
          if (run.outcome() instanceof Outcome.Panicked<?> p) {
            error.initCause(p.cause());
          } else if (run.outcome() instanceof Outcome.Err<?> e) {
            error.initCause(e.error());
          }
          throw error;
        }
      }
    }

    private @Nullable String failure(LabRun<?> run) {
      Outcome<?> outcome = run.outcome();
      if (!run.passed()) {
        return "lab oracles fired";
      }
      return switch (outcome) {
        case null -> "lab run aborted before the test body finished";
        case Outcome.Ok<?> ok -> null;
        case Outcome.Err<?> err -> "test body failed";
        case Outcome.Panicked<?> p -> "test body panicked";
        case Outcome.Cancelled<?> c -> base.faults() == FaultPreset.NONE ? "test body was cancelled" : null;
      };
    }
  }

  private enum Param {
    CX,
    CONFIG,
    SEED
  }

  private static @Nullable Param kindOf(Class<?> type) {
    if (type == Cx.class) {
      return Param.CX;
    }
    if (type == LabConfig.class) {
      return Param.CONFIG;
    }
    if (type == long.class || type == Long.class) {
      return Param.SEED;
    }
    return null;
  }
}
