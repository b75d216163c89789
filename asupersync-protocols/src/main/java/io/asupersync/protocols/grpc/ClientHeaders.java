package io.asupersync.protocols.grpc;

import io.asupersync.protocols.grpc.internal.GrpcHeaders;
import io.asupersync.protocols.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** The client's side of the header rules: request heads, response checks, metadata, reset codes. */
final class ClientHeaders {

  private ClientHeaders() {}

  /** A status when the response headers are not those of a gRPC response, else null. */
  static @Nullable Status checkResponse(Http2Headers headers) {
    CharSequence httpStatus = headers.status();
    if (httpStatus == null || !"200".contentEquals(httpStatus)) {
      int code;
      try {
        code = httpStatus == null ? 0 : Integer.parseInt(httpStatus.toString());
      } catch (NumberFormatException e) {
        code = 0;
      }
      return GrpcHeaders.statusForHttp(code);
    }
    if (!GrpcHeaders.isGrpcContentType(headers.get(GrpcHeaders.CONTENT_TYPE))) {
      return Status.of(StatusCode.UNKNOWN, "response is not gRPC (content-type " + headers.get(GrpcHeaders.CONTENT_TYPE) + ")");
    }
    return null;
  }

  /** Application metadata: every field but pseudo-headers and the protocol's own. */
  static HttpHeaders metadata(Http2Headers headers) {
    HttpHeaders.Builder builder = HttpHeaders.builder();
    for (Map.Entry<CharSequence, CharSequence> field : headers) {
      String name = field.getKey().toString();
      if (name.startsWith(":")
          || name.equals(GrpcHeaders.GRPC_STATUS)
          || name.equals(GrpcHeaders.GRPC_MESSAGE)
          || name.equals(GrpcHeaders.CONTENT_TYPE)
          || name.equals(GrpcHeaders.GRPC_ENCODING)
          || name.equals(GrpcHeaders.GRPC_ACCEPT_ENCODING)) {
        continue;
      }
      builder.add(name, field.getValue().toString());
    }
    return builder.build();
  }

  static Status statusForReset(long errorCode) {
    Http2Error error = Http2Error.valueOf(errorCode);
    if (error == null) {
      return Status.of(StatusCode.INTERNAL, "stream reset with code " + errorCode);
    }
    return switch (error) {
      case CANCEL -> Status.of(StatusCode.CANCELLED, "stream reset by the server (CANCEL)");
      case REFUSED_STREAM -> Status.of(StatusCode.UNAVAILABLE, "stream refused by the server");
      case ENHANCE_YOUR_CALM -> Status.of(StatusCode.RESOURCE_EXHAUSTED, "stream reset by the server (ENHANCE_YOUR_CALM)");
      case INADEQUATE_SECURITY -> Status.of(StatusCode.PERMISSION_DENIED, "stream reset by the server (INADEQUATE_SECURITY)");
      default -> Status.of(StatusCode.INTERNAL, "stream reset by the server (" + error + ")");
    };
  }

  static Http2Headers request(
      MethodDescriptor<?, ?> method, String scheme, String authority, @Nullable String timeout, HttpHeaders metadata, boolean gzip) {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme(scheme)
            .path(method.path())
            .authority(authority);
    if (timeout != null) {
      headers.add(GrpcHeaders.GRPC_TIMEOUT, timeout);
    }
    headers
        .add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.APPLICATION_GRPC)
        .add(GrpcHeaders.TE, GrpcHeaders.TRAILERS)
        .add("user-agent", GrpcClient.USER_AGENT)
        .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPTED_ENCODINGS);
    if (gzip) {
      headers.add(GrpcHeaders.GRPC_ENCODING, "gzip");
    }
    forEachMetadata(metadata, (name, value) -> headers.add(name, value));
    return headers;
  }

  /** Hands out the fields of {@code metadata}, refusing names an application may not set. */
  static void forEachMetadata(HttpHeaders metadata, BiConsumer<String, String> sink) {
    for (Map.Entry<String, String> field : metadata) {
      if (!GrpcHeaders.isApplicationMetadataName(field.getKey())) {
        throw new IllegalArgumentException("'" + field.getKey() + "' is not an application metadata name");
      }
      sink.accept(field.getKey(), field.getValue());
    }
  }
}
