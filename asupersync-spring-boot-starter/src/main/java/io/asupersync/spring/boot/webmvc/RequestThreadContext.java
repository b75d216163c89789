package io.asupersync.spring.boot.webmvc;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The thread-bound state a handler expects (request attributes, locale, security context and whatever
 * Micrometer's context propagation knows), captured on the servlet thread and restored on the region's
 * task thread for the time of the handler.
 */
final class RequestThreadContext {

  private static final ClassLoader LOADER = RequestThreadContext.class.getClassLoader();
  private static final boolean CONTEXT_PROPAGATION =
      ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory", LOADER);
  private static final boolean SECURITY =
      ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", LOADER);

  private final @Nullable RequestAttributes requestAttributes;
  private final @Nullable LocaleContext localeContext;
  private final @Nullable Object snapshot;
  private final @Nullable Object securityContext;

  private RequestThreadContext() {
    this.requestAttributes = RequestContextHolder.getRequestAttributes();
    this.localeContext = LocaleContextHolder.getLocaleContext();
    // Context propagation carries the security context itself when Spring Security registers its
    // accessor; without the library, carry it directly.
    this.snapshot = CONTEXT_PROPAGATION ? Propagation.capture() : null;
    this.securityContext = SECURITY && !CONTEXT_PROPAGATION ? Security.capture() : null;
  }

  /** Captures the calling thread's state. */
  static RequestThreadContext capture() {
    return new RequestThreadContext();
  }

  /** Installs the captured state on the calling thread until the returned scope is closed. */
  Restored restore() {
    RequestContextHolder.setRequestAttributes(requestAttributes);
    LocaleContextHolder.setLocaleContext(localeContext);
    AutoCloseable propagated = snapshot != null ? Propagation.restore(snapshot) : () -> {};
    if (securityContext != null) {
      Security.restore(securityContext);
    }
    return () -> {
      try {
        propagated.close();
      } catch (Exception ignored) {
        // ContextSnapshot.Scope.close does not throw; the wider type is AutoCloseable's.
      } finally {
        if (securityContext != null) {
          Security.clear();
        }
        LocaleContextHolder.resetLocaleContext();
        RequestContextHolder.resetRequestAttributes();
      }
    };
  }

  /** A restored context; closing it clears what was installed. */
  @FunctionalInterface
  interface Restored extends AutoCloseable {
    @Override
    void close();
  }

  private static final class Propagation {
    private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

    static Object capture() {
      return FACTORY.captureAll();
    }

    static AutoCloseable restore(Object snapshot) {
      return ((ContextSnapshot) snapshot).setThreadLocals();
    }
  }

  private static final class Security {
    static Object capture() {
      return SecurityContextHolder.getContext();
    }

    static void restore(Object context) {
      SecurityContextHolder.setContext((SecurityContext) context);
    }

    static void clear() {
      SecurityContextHolder.clearContext();
    }
  }
}
