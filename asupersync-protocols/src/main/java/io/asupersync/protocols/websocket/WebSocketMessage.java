package io.asupersync.protocols.websocket;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A complete WebSocket data message, reassembled from its fragments and decompressed. */
public sealed interface WebSocketMessage permits WebSocketMessage.Text, WebSocketMessage.Binary {

  static Text text(String text) {
    return new Text(text);
  }

  /** A binary message that takes {@code data} as is: the caller must not change the array afterwards. */
  static Binary binary(byte[] data) {
    return new Binary(data);
  }

  /** A text message; the stack has checked (on receipt) or produces (on send) valid UTF-8. */
  record Text(String text) implements WebSocketMessage {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A binary message. The array is owned by the message: received arrays are not shared with the
   * connection, and an array passed to {@link #binary} must not be changed after sending.
   */
  record Binary(byte[] data) implements WebSocketMessage {
    public Binary {
      Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Binary b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Binary[" + data.length + " bytes]";
    }
  }
}
