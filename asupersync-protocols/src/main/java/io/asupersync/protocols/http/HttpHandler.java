package io.asupersync.protocols.http;

import io.asupersync.Cx;

/**
 * Serves one request. It runs on its own virtual thread inside the request's region: {@code cx} carries
 * the request budget (server default timeout met with the client's {@code request-timeout}), and is
 * cancelled when the client resets the stream or disconnects. Tasks spawned through {@code cx} belong to
 * the request and are drained before the exchange ends.
 *
 * <p>What the handler ends with becomes the answer: a returned response is sent; a thrown {@link
 * HttpStatusException} is answered with its status; another checked exception with 500; a cancellation
 * by deadline with 503; an unchecked throwable (a bug) with 500, and an HTTP/1.1 connection is closed
 * after it.
 */
@FunctionalInterface
public interface HttpHandler {

  HttpResponse handle(Cx cx, HttpRequest request) throws Exception;
}
