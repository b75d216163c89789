package io.asupersync.protocols.websocket.internal;

import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.websocket.WebSocketLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** The opening handshake of RFC 6455 section 4 and the permessage-deflate negotiation of RFC 7692. */
public final class Handshake {

  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  static final String DEFLATE = "permessage-deflate";
  /** Extension offers read from one request; more are ignored (the header block is bounded anyway). */
  private static final int MAX_EXTENSIONS = 32;

  private Handshake() {}

  /** What the server answers an upgrade request. */
  public sealed interface Decision {}

  /**
   * Switch protocols: answer 101 with {@code responseHeaders}.
   *
   * @param deflate the permessage-deflate agreement, null when none
   * @param subprotocol the chosen subprotocol, null when none
   */
  public record Accept(HttpHeaders responseHeaders, @Nullable DeflateAgreement deflate, @Nullable String subprotocol)
      implements Decision {}

  /** Refuse: answer {@code status} with {@code headers} and {@code reason} as the body. */
  public record Reject(int status, String reason, HttpHeaders headers) implements Decision {}

  /**
   * What both sides agreed for permessage-deflate.
   *
   * @param serverNoContextTakeover the server resets its compressor after each message
   * @param clientNoContextTakeover the client resets its compressor after each message
   * @param serverWindowBitsAnswered whether the response must confirm {@code server_max_window_bits=15}
   *     (the client asked for a bound on the server's window)
   */
  public record DeflateAgreement(
      boolean serverNoContextTakeover, boolean clientNoContextTakeover, boolean serverWindowBitsAnswered) {
    String header() {
      return DEFLATE
          + (serverNoContextTakeover ? "; server_no_context_takeover" : "")
          + (clientNoContextTakeover ? "; client_no_context_takeover" : "")
          + (serverWindowBitsAnswered ? "; server_max_window_bits=15" : "");
    }
  }

  /** Whether a request asks for a WebSocket upgrade at all ({@code Upgrade: websocket}). */
  public static boolean isUpgradeRequest(HttpHeaders request) {
    return hasToken(request, "upgrade", "websocket");
  }

  /**
   * Checks an upgrade request (RFC 6455 section 4.2.1) and negotiates the extension and subprotocol.
   *
   * @param subprotocols what the endpoint speaks, in preference order (the client's order decides)
   */
  public static Decision server(String method, HttpHeaders request, WebSocketLimits limits, List<String> subprotocols) {
    if (!method.equals("GET")) {
      return new Reject(405, "WebSocket upgrade needs GET", HttpHeaders.of("allow", "GET"));
    }
    if (!hasToken(request, "upgrade", "websocket") || !hasToken(request, "connection", "upgrade")) {
      return new Reject(400, "WebSocket upgrade needs Upgrade: websocket and Connection: Upgrade", HttpHeaders.empty());
    }
    List<String> versions = request.all("sec-websocket-version");
    if (versions.size() != 1 || !versions.get(0).trim().equals("13")) {
      return new Reject(426, "WebSocket version 13 required", HttpHeaders.of("sec-websocket-version", "13"));
    }
    List<String> keys = request.all("sec-websocket-key");
    if (keys.size() != 1 || !isValidKey(keys.get(0).trim())) {
      return new Reject(400, "Sec-WebSocket-Key must be the base64 of 16 bytes", HttpHeaders.empty());
    }
    HttpHeaders.Builder response = HttpHeaders.builder()
        .add("upgrade", "websocket")
        .add("connection", "Upgrade")
        .add("sec-websocket-accept", acceptKey(keys.get(0).trim()));
    DeflateAgreement deflate = limits.permessageDeflate() ? acceptDeflate(request.all("sec-websocket-extensions")) : null;
    if (deflate != null) {
      response.add("sec-websocket-extensions", deflate.header());
    }
    String subprotocol = chooseSubprotocol(request.all("sec-websocket-protocol"), subprotocols);
    if (subprotocol != null) {
      response.add("sec-websocket-protocol", subprotocol);
    }
    return new Accept(response.build(), deflate, subprotocol);
  }

  private static @Nullable String chooseSubprotocol(List<String> offered, List<String> supported) {
    for (String value : offered) {
      for (String candidate : value.split(",", 64)) {
        String name = candidate.trim();
        if (!name.isEmpty() && supported.contains(name)) {
          return name;
        }
      }
    }
    return null;
  }

  /** The first permessage-deflate offer this side can honour, or null (offers that cannot be met are declined). */
  static @Nullable DeflateAgreement acceptDeflate(List<String> headerValues) {
    List<Extension> offers;
    try {
      offers = parseExtensions(headerValues);
    } catch (IllegalArgumentException malformed) {
      return null; // an unparseable offer is declined, not an error: the connection still works uncompressed
    }
    offers:
    for (Extension offer : offers) {
      if (!offer.name().equals(DEFLATE)) {
        continue;
      }
      boolean serverNoTakeover = false;
      boolean clientNoTakeover = false;
      boolean serverWindowBits = false;
      List<String> seen = new ArrayList<>();
      for (Param p : offer.params()) {
        if (seen.contains(p.name())) {
          continue offers; // RFC 7692 section 7: duplicate parameters make the offer invalid
        }
        seen.add(p.name());
        switch (p.name()) {
          case "server_no_context_takeover" -> {
            if (p.value() != null) {
              continue offers;
            }
            serverNoTakeover = true;
          }
          case "client_no_context_takeover" -> {
            if (p.value() != null) {
              continue offers;
            }
            clientNoTakeover = true;
          }
          case "server_max_window_bits" -> {
            // java.util.zip always compresses with a 32 KiB window: a smaller one cannot be promised.
            if (windowBits(p.value()) != 15) {
              continue offers;
            }
            serverWindowBits = true;
          }
          case "client_max_window_bits" -> {
            // The client may use any window up to 15 bits; the inflater accepts all of them.
            if (p.value() != null && windowBits(p.value()) < 0) {
              continue offers;
            }
          }
          default -> {
            continue offers;
          }
        }
      }
      return new DeflateAgreement(serverNoTakeover, clientNoTakeover, serverWindowBits);
    }
    return null;
  }

  private static int windowBits(@Nullable String value) {
    if (value == null || value.length() > 2) {
      return -1;
    }
    try {
      int bits = Integer.parseInt(value);
      return bits >= 8 && bits <= 15 ? bits : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Checks the server's permessage-deflate answer to our plain {@code permessage-deflate} offer.
   *
   * @return the agreement, or null when the server declined
   * @throws IllegalArgumentException when the answer is malformed or names something we did not offer
   */
  public static @Nullable DeflateAgreement clientDeflate(List<String> headerValues, boolean offered) {
    List<Extension> extensions = parseExtensions(headerValues);
    if (extensions.isEmpty()) {
      return null;
    }
    if (!offered || extensions.size() != 1 || !extensions.get(0).name().equals(DEFLATE)) {
      throw new IllegalArgumentException("server selected an extension that was not offered");
    }
    boolean serverNoTakeover = false;
    boolean clientNoTakeover = false;
    List<String> seen = new ArrayList<>();
    for (Param p : extensions.get(0).params()) {
      if (seen.contains(p.name())) {
        throw new IllegalArgumentException("duplicate permessage-deflate parameter " + p.name());
      }
      seen.add(p.name());
      switch (p.name()) {
        case "server_no_context_takeover" -> serverNoTakeover = true;
        case "client_no_context_takeover" -> clientNoTakeover = true;
        case "server_max_window_bits" -> {
          if (windowBits(p.value()) < 0) {
            throw new IllegalArgumentException("invalid server_max_window_bits");
          }
        }
        // client_max_window_bits was not offered (the deflater cannot shrink its window).
        default -> throw new IllegalArgumentException("unexpected permessage-deflate parameter " + p.name());
      }
    }
    return new DeflateAgreement(serverNoTakeover, clientNoTakeover, false);
  }

  /** {@code base64(SHA-1(key + GUID))}, RFC 6455 section 4.2.2. */
  public static String acceptKey(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64. */
  public static String newKey(RandomGenerator random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  static boolean isValidKey(String key) {
    if (key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a comma-separated header {@code name} contains {@code token}, case-insensitively. */
  public static boolean hasToken(HttpHeaders headers, String name, String token) {
    for (String value : headers.all(name)) {
      for (String part : value.split(",", 64)) {
        if (part.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  record Extension(String name, List<Param> params) {}

  record Param(String name, @Nullable String value) {}

  /**
   * Parses {@code Sec-WebSocket-Extensions} (RFC 6455 section 9.1): extensions separated by commas, each
   * a token followed by {@code ;}-separated parameters with an optional token or quoted-string value.
   * Names are lower-cased.
   *
   * @throws IllegalArgumentException on a syntax error
   */
  static List<Extension> parseExtensions(List<String> headerValues) {
    List<Extension> extensions = new ArrayList<>();
    for (String value : headerValues) {
      Cursor c = new Cursor(value);
      c.skipSpace();
      while (!c.atEnd()) {
        if (extensions.size() == MAX_EXTENSIONS) {
          return extensions;
        }
        String name = c.token();
        List<Param> params = new ArrayList<>();
        c.skipSpace();
        while (c.accept(';')) {
          c.skipSpace();
          String param = c.token();
          c.skipSpace();
          String paramValue = null;
          if (c.accept('=')) {
            c.skipSpace();
            paramValue = c.peek() == '"' ? c.quoted() : c.token();
            c.skipSpace();
          }
          params.add(new Param(param, paramValue));
        }
        extensions.add(new Extension(name, List.copyOf(params)));
        if (!c.atEnd()) {
          if (!c.accept(',')) {
            throw new IllegalArgumentException("expected ',' at " + c.pos);
          }
          c.skipSpace();
        }
      }
    }
    return extensions;
  }

  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    boolean accept(char ch) {
      if (peek() == ch && !atEnd()) {
        pos++;
        return true;
      }
      return false;
    }

    void skipSpace() {
      while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    String token() {
      int start = pos;
      while (!atEnd() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw new IllegalArgumentException("expected a token at " + start);
      }
      return s.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    String quoted() {
      pos++; // opening quote
      StringBuilder out = new StringBuilder();
      while (!atEnd()) {
        char ch = s.charAt(pos++);
        if (ch == '"') {
          return out.toString();
        }
        if (ch == '\\') {
          if (atEnd()) {
            break;
          }
          ch = s.charAt(pos++);
        }
        out.append(ch);
      }
      throw new IllegalArgumentException("unterminated quoted string");
    }

    private static boolean isTokenChar(char ch) {
      return ch > 0x20 && ch < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(ch) < 0;
    }
  }
}
