package io.asupersync.protocols.grpc.internal;

import io.asupersync.protocols.grpc.Status;
import io.asupersync.protocols.grpc.StatusCode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Header names and rules of gRPC over HTTP/2 shared by the server and the client. */
public final class GrpcHeaders {

  public static final String CONTENT_TYPE = "content-type";
  public static final String APPLICATION_GRPC = "application/grpc";
  public static final String TE = "te";
  public static final String TRAILERS = "trailers";
  public static final String GRPC_TIMEOUT = "grpc-timeout";
  public static final String GRPC_ENCODING = "grpc-encoding";
  public static final String GRPC_ACCEPT_ENCODING = "grpc-accept-encoding";
  public static final String GRPC_STATUS = "grpc-status";
  public static final String GRPC_MESSAGE = "grpc-message";
  /** The encodings this implementation can read, as advertised in {@code grpc-accept-encoding}. */
  public static final String ACCEPTED_ENCODINGS = "gzip";

  /** HTTP/2's per-field overhead in a header list size (RFC 9113 §6.5.2). */
  private static final int FIELD_OVERHEAD = 32;

  private GrpcHeaders() {}

  /** Whether {@code contentType} is {@code application/grpc} or {@code application/grpc+...} / {@code ;...}. */
  public static boolean isGrpcContentType(@Nullable CharSequence contentType) {
    if (contentType == null || contentType.length() < APPLICATION_GRPC.length()) {
      return false;
    }
    if (!regionMatchesIgnoreCase(contentType, APPLICATION_GRPC)) {
      return false;
    }
    if (contentType.length() == APPLICATION_GRPC.length()) {
      return true;
    }
    char next = contentType.charAt(APPLICATION_GRPC.length());
    return next == '+' || next == ';';
  }

  private static boolean regionMatchesIgnoreCase(CharSequence value, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(value.charAt(i)) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The size of a header list as HTTP/2 counts it: name and value lengths plus 32 per field. */
  public static long listSize(Iterable<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> fields) {
    long size = 0;
    for (Map.Entry<? extends CharSequence, ? extends CharSequence> field : fields) {
      size += field.getKey().length() + field.getValue().length() + FIELD_OVERHEAD;
    }
    return size;
  }

  /**
   * Whether an application may send a metadata field named {@code name}: lower-case {@code 0-9 a-z _ -
   * .}, not a pseudo-header, not a {@code grpc-} name (reserved) and none of the HTTP/2 call-definition
   * fields the runtime writes itself.
   */
  public static boolean isApplicationMetadataName(String name) {
    if (name.isEmpty() || name.startsWith("grpc-")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return switch (name) {
      case CONTENT_TYPE, TE, "user-agent", "host", "connection", "transfer-encoding", "upgrade", "keep-alive", "proxy-connection" -> false;
      default -> true;
    };
  }

  /**
   * The status a client synthesizes for a response that is not gRPC (a proxy's error page, a plain HTTP
   * server), from its HTTP status, as the gRPC HTTP-to-status mapping says.
   */
  public static Status statusForHttp(int httpStatus) {
    StatusCode code =
        switch (httpStatus) {
          case 400 -> StatusCode.INTERNAL;
          case 401 -> StatusCode.UNAUTHENTICATED;
          case 403 -> StatusCode.PERMISSION_DENIED;
          case 404 -> StatusCode.UNIMPLEMENTED;
          case 429, 502, 503, 504 -> StatusCode.UNAVAILABLE;
          default -> StatusCode.UNKNOWN;
        };
    return Status.of(code, "HTTP status " + httpStatus);
  }

  /**
   * The status carried by trailers (or a trailers-only response). A missing or malformed {@code
   * grpc-status} is {@code UNKNOWN}; the message is percent-decoded.
   */
  public static Status statusFromTrailers(@Nullable CharSequence grpcStatus, @Nullable CharSequence grpcMessage) {
    StatusCode code = StatusCode.fromText(grpcStatus);
    String message = grpcMessage == null ? null : PercentEncoding.decode(grpcMessage);
    if (code == null) {
      return Status.of(StatusCode.UNKNOWN, grpcStatus == null ? "missing grpc-status" : "malformed grpc-status");
    }
    return Status.of(code, message);
  }
}
