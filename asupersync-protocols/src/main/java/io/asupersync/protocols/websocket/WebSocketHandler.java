package io.asupersync.protocols.websocket;

import io.asupersync.Cx;

/**
 * Serves one WebSocket connection. The server calls {@link #onConnect} once per accepted upgrade, in a
 * region of its own that lives as long as the connection:
 *
 * <ul>
 *   <li>returning normally closes the session with 1000 (unless it is already closed);
 *   <li>throwing closes it with 1011; a {@link WebSocketClosedException} (the peer closed) is a normal end;
 *   <li>cancellation of the region (server shutdown, a cancelled parent) closes it with 1001;
 *   <li>a peer that breaks the protocol, exceeds a limit or drops the TCP connection without a close
 *       handshake cancels the region, so tasks the handler spawned stop too.
 * </ul>
 *
 * <p>The region closes once the handler (and every task it spawned) ended and the close handshake
 * finished, at most the close timeout later.
 */
@FunctionalInterface
public interface WebSocketHandler {

  void onConnect(Cx cx, WebSocketSession session) throws Exception;
}
