package io.asupersync.protocols.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Response field names as the codecs like them best. Netty's {@link AsciiString} constants carry their
 * hash and bytes, so the HPACK encoder's table lookups and the HTTP/1 encoder's copy skip a pass over a
 * {@code String}'s characters per field per response; names outside this list go out as they are.
 */
final class WireNames {

  private static final Map<String, AsciiString> KNOWN =
      Stream.of(
              HttpHeaderNames.ACCEPT_RANGES,
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS,
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
              HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
              HttpHeaderNames.ACCESS_CONTROL_MAX_AGE,
              HttpHeaderNames.AGE,
              HttpHeaderNames.ALLOW,
              HttpHeaderNames.CACHE_CONTROL,
              HttpHeaderNames.CONTENT_DISPOSITION,
              HttpHeaderNames.CONTENT_ENCODING,
              HttpHeaderNames.CONTENT_LANGUAGE,
              HttpHeaderNames.CONTENT_LENGTH,
              HttpHeaderNames.CONTENT_LOCATION,
              HttpHeaderNames.CONTENT_RANGE,
              HttpHeaderNames.CONTENT_SECURITY_POLICY,
              HttpHeaderNames.CONTENT_TYPE,
              HttpHeaderNames.DATE,
              HttpHeaderNames.ETAG,
              HttpHeaderNames.EXPIRES,
              HttpHeaderNames.LAST_MODIFIED,
              HttpHeaderNames.LOCATION,
              HttpHeaderNames.RETRY_AFTER,
              HttpHeaderNames.SERVER,
              HttpHeaderNames.SET_COOKIE,
              HttpHeaderNames.VARY,
              HttpHeaderNames.WWW_AUTHENTICATE,
              HttpHeaderNames.X_FRAME_OPTIONS,
              AsciiString.cached("strict-transport-security"),
              AsciiString.cached("x-content-type-options"))
          .collect(Collectors.toUnmodifiableMap(name -> name.toString(), Function.identity()));

  private WireNames() {}

  /** The codec constant for a lower-case field name, or the name itself. */
  static CharSequence of(String name) {
    AsciiString known = KNOWN.get(name);
    return known != null ? known : name;
  }
}
