package io.asupersync.protocols.http;

/** The protocol version a request arrived with. */
public enum HttpProtocol {
  HTTP_1_0("HTTP/1.0"),
  HTTP_1_1("HTTP/1.1"),
  HTTP_2("HTTP/2");

  private final String text;

  HttpProtocol(String text) {
    this.text = text;
  }

  /** The version as written in an HTTP/1 request line ({@code HTTP/2} for HTTP/2). */
  public String text() {
    return text;
  }
}
