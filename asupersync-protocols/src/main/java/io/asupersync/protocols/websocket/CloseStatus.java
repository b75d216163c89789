package io.asupersync.protocols.websocket;

import java.util.Objects;

/**
 * A close code and reason (RFC 6455 section 7.4). The constants name the codes this stack sends or
 * reports; applications may use 4000–4999 (and registered 3000–3999 codes) for their own.
 *
 * @param code the status code; {@link #NO_STATUS} when the peer's close frame had none, {@link
 *     #ABNORMAL} when the connection ended without a close frame
 * @param reason UTF-8 text of at most 123 bytes on the wire (longer reasons are cut when sent), may be empty
 */
public record CloseStatus(int code, String reason) {

  /** 1000: the purpose of the connection is fulfilled. */
  public static final int NORMAL = 1000;
  /** 1001: the endpoint is going away: server shutdown, region cancelled, keepalive timed out. */
  public static final int GOING_AWAY = 1001;
  /** 1002: the peer broke the protocol (unmasked frame, bad opcode, fragmented control frame...). */
  public static final int PROTOCOL_ERROR = 1002;
  /** 1003: the endpoint cannot accept this kind of data. */
  public static final int UNSUPPORTED_DATA = 1003;
  /** 1005: reported, never sent: the peer's close frame carried no code. */
  public static final int NO_STATUS = 1005;
  /** 1006: reported, never sent: the connection ended without a close frame. */
  public static final int ABNORMAL = 1006;
  /** 1007: a text message (or close reason) was not valid UTF-8, or compressed data was corrupt. */
  public static final int INVALID_PAYLOAD = 1007;
  /** 1008: the message violates the endpoint's policy. */
  public static final int POLICY_VIOLATION = 1008;
  /** 1009: a frame or message was over the limit (also a decompressed message). */
  public static final int MESSAGE_TOO_BIG = 1009;
  /** 1010: the client needed an extension the server did not negotiate. */
  public static final int MANDATORY_EXTENSION = 1010;
  /** 1011: the handler failed. */
  public static final int INTERNAL_ERROR = 1011;
  /** 1012: the server is restarting. */
  public static final int SERVICE_RESTART = 1012;
  /** 1013: try again later: the consumer was too slow (when so configured). */
  public static final int TRY_AGAIN_LATER = 1013;
  /** 1014: a gateway got a bad answer upstream. */
  public static final int BAD_GATEWAY = 1014;

  public CloseStatus {
    Objects.requireNonNull(reason, "reason");
  }

  public static CloseStatus of(int code) {
    return new CloseStatus(code, "");
  }

  /**
   * Whether {@code code} may appear in a close frame: 1000–1003, 1007–1014, 3000–4999. 1004, 1005,
   * 1006 and 1015 are reserved and never sent; other values are unassigned.
   */
  public static boolean isSendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
