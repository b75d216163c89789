package io.asupersync.spring.boot.webmvc;

import io.asupersync.Cx;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a {@link Cx} handler parameter to the context of the request region that {@link
 * CxHandlerAdapter} opened for the request.
 */
public final class CxArgumentResolver implements HandlerMethodArgumentResolver {

  private static final ThreadLocal<@Nullable Cx> CURRENT = new ThreadLocal<>();

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Cx.class;
  }

  @Override
  public Cx resolveArgument(
      MethodParameter parameter,
      @Nullable ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      @Nullable WebDataBinderFactory binderFactory) {
    Cx cx = CURRENT.get();
    if (cx == null) {
      throw new IllegalStateException(
          "No request region for " + parameter.getExecutable() + ": a handler that takes a Cx must be invoked "
              + "through CxHandlerAdapter (is the Asupersync Spring MVC auto-configuration turned off?)");
    }
    return cx;
  }

  /** Binds {@code cx} to the calling thread (the request region's task) while {@code body} runs. */
  static <T> T with(Cx cx, CheckedSupplier<T> body) throws Exception {
    CURRENT.set(cx);
    try {
      return body.get();
    } finally {
      CURRENT.remove();
    }
  }

  @FunctionalInterface
  interface CheckedSupplier<T> {
    T get() throws Exception;
  }
}
