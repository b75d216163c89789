package io.asupersync.protocols.websocket;

/** Handlers the tests register. */
final class EchoHandlers {

  private EchoHandlers() {}

  /** Echoes every message until the peer closes. */
  static final WebSocketHandler ECHO = (cx, session) -> {
    while (true) {
      session.send(cx, session.receive(cx));
    }
  };
}
