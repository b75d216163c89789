package io.asupersync.protocols.http.client;

import java.net.URI;
import java.util.Locale;

/** Scheme, host and port: the unit of connection pooling. */
record Origin(boolean secure, String host, int port) {

  static Origin of(URI uri) {
    boolean secure = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
    String host = uri.getHost();
    // URI keeps IPv6 literals bracketed; the socket layer and SNI want them bare.
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Origin(secure, host.toLowerCase(Locale.ROOT), port);
  }

  String scheme() {
    return secure ? "https" : "http";
  }

  /** The Host header / :authority value. */
  String authority() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (secure ? 443 : 80) ? h : h + ":" + port;
  }
}
