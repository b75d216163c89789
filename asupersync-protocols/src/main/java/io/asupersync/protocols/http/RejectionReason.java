package io.asupersync.protocols.http;

/**
 * Why the server refused a request or closed a connection on a limit or protocol violation. Each reason
 * has a counter ({@link AsupersyncServer#rejections()}) and every occurrence is traced as {@code
 * PROTOCOL_ERROR} or {@code LIMIT_EXCEEDED} with the reason's name.
 */
public enum RejectionReason {
  /** HTTP/1.1 request line over its limit: 414, close. */
  REQUEST_LINE_TOO_LONG(true),
  /** HTTP/1.1 header block over its size limit: 431, close. */
  HEADERS_TOO_LARGE(true),
  /** HTTP/1.1 header count over its limit: 431, close. */
  TOO_MANY_HEADERS(true),
  /** Request body over its limit: 413 (HTTP/1.1 then closes). */
  BODY_TOO_LARGE(true),
  /** HTTP/1.1 request with both Content-Length and Transfer-Encoding: 400, close. */
  CONTENT_LENGTH_WITH_TRANSFER_ENCODING(false),
  /** HTTP/1.1 request with several or conflicting Content-Length fields: 400, close. */
  DUPLICATE_CONTENT_LENGTH(false),
  /** HTTP/1.1 request without exactly one Host field: 400, close. */
  BAD_HOST(false),
  /** Request that does not parse (HTTP/1.1 syntax, a bad {@code request-timeout} value): 400. */
  MALFORMED_REQUEST(false),
  /** HTTP/1.1 headers not complete within the header read timeout (slowloris): 408, close. */
  HEADER_READ_TIMEOUT(true),
  /** HTTP/2 RST_STREAM flood from the client (rapid reset): GOAWAY ENHANCE_YOUR_CALM. */
  RAPID_RESET(true),
  /** HTTP/2 client made the server reset too many streams (MadeYouReset): GOAWAY ENHANCE_YOUR_CALM. */
  ENCODER_RESET_FLOOD(true),
  /** HTTP/2 header block over its CONTINUATION frame count or byte cap: GOAWAY ENHANCE_YOUR_CALM. */
  CONTINUATION_FLOOD(true),
  /** HTTP/2 header block not finished within the CONTINUATION deadline: GOAWAY ENHANCE_YOUR_CALM. */
  CONTINUATION_TIMEOUT(true),
  /** HTTP/2 control frames (SETTINGS/PING acks, resets) queued past their cap: GOAWAY ENHANCE_YOUR_CALM. */
  CONTROL_FRAME_FLOOD(true),
  /** HTTP/2 other flood (for example empty DATA frames): GOAWAY ENHANCE_YOUR_CALM. */
  FLOOD(true),
  /** HTTP/2 stream over the concurrent stream limit: RST_STREAM REFUSED_STREAM. */
  STREAM_REFUSED(true),
  /**
   * HTTP/2 header list over SETTINGS_MAX_HEADER_LIST_SIZE: 431 (or RST_STREAM / GOAWAY when far over);
   * also a decoded header name or value over {@code maxHpackStringBytes}: 431 on that stream.
   */
  HEADER_LIST_TOO_LARGE(true),
  /** HTTP/2 HPACK violation (table size, bad encoding): GOAWAY COMPRESSION_ERROR. */
  COMPRESSION_ERROR(false),
  /** HTTP/2 protocol violation (missing pseudo-headers, bad frame): RST_STREAM or GOAWAY PROTOCOL_ERROR. */
  PROTOCOL_ERROR(false),
  /** Request refused because the server is shutting down: 503. */
  SHUTTING_DOWN(true);

  private final boolean limit;

  RejectionReason(boolean limit) {
    this.limit = limit;
  }

  /** Whether a configured limit was hit (traced as LIMIT_EXCEEDED) rather than the protocol broken. */
  public boolean isLimit() {
    return limit;
  }
}
