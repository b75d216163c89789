package io.asupersync.protocols.http;

import io.asupersync.Cx;

/**
 * Wraps every request, matched or not (404 and 405 answers pass through filters too), inside the request
 * region: tracing, authentication, metrics. Filters run in registration order, the first registered
 * outermost. {@link HttpRequest#route()} is already known when a filter runs.
 */
@FunctionalInterface
public interface HttpFilter {

  /**
   * Handles {@code request}, usually by calling {@code next.handle(cx, request)} and returning (or
   * decorating) its response; returning without calling {@code next} answers the request directly.
   */
  HttpResponse filter(Cx cx, HttpRequest request, HttpHandler next) throws Exception;
}
