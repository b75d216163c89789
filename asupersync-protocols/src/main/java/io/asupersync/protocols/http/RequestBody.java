package io.asupersync.protocols.http;

import io.asupersync.Cx;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The request body as it arrives. Reading applies backpressure: the server stops reading from the
 * socket (HTTP/1.1) or withholds flow-control credit (HTTP/2) while unread data piles up. Every read is
 * a cancellation point of the calling task. Single reader; not thread-safe.
 */
public interface RequestBody {

  /**
   * Waits for the next chunk of the body.
   *
   * @return the next chunk, never empty; null once the body ended
   * @throws HttpStatusException 413 when the body exceeds the configured limit
   * @throws io.asupersync.CancelledException when the request is cancelled while waiting
   */
  byte @org.jspecify.annotations.Nullable [] read(Cx cx) throws HttpStatusException;

  /**
   * Reads the rest of the body into one array (the body limit bounds it).
   *
   * @throws HttpStatusException 413 when the body exceeds the configured limit
   */
  byte[] bytes(Cx cx) throws HttpStatusException;

  /** {@link #bytes} decoded as UTF-8. */
  default String string(Cx cx) throws HttpStatusException {
    return new String(bytes(cx), StandardCharsets.UTF_8);
  }

  /** The declared length (Content-Length), when the client declared one. */
  OptionalLong contentLength();

  /** Trailer fields sent after the body (HTTP/2 trailers, HTTP/1.1 chunked trailers); empty until the body ended. */
  HttpHeaders trailers();
}
