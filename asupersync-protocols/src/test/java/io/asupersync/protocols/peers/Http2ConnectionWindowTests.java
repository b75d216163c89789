package io.asupersync.protocols.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.tls.ClientAuth;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Found while running the peers, reported to the HTTP server's owner: the connection flow-control window
 * an h2c client is granted. The server means to raise it to 4 stream windows (4 MiB by default; {@code
 * H2Connection.CONNECTION_WINDOW_STREAMS}), but Netty's frame codec already raised it by twice the
 * stream window's excess when the initial SETTINGS carry a larger stream window, and the server's own
 * WINDOW_UPDATE is computed from the default 65,535 on top of that: the client gets 6,160,386 bytes,
 * about 50 % more than the documented per-connection buffering bound.
 */
class Http2ConnectionWindowTests {

  @Test
  void connectionWindowIsFourStreamWindows() throws Exception {
    try (PeerServer server = new PeerServer(ClientAuth.NONE);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.cleartextPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(frameHeader(0, 0x4, 0, 0)); // empty SETTINGS
      out.write(frameHeader(8, 0x6, 0, 0)); // PING: its ACK comes after everything the server sent at start
      out.write(new byte[8]);
      out.flush();

      DataInputStream in = new DataInputStream(socket.getInputStream());
      long window = 65_535;
      while (true) {
        int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fff_ffff;
        byte[] payload = in.readNBytes(length);
        if (type == 0x8 && stream == 0) {
          window += ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        } else if (type == 0x6 && (flags & 0x1) != 0) {
          break;
        }
      }
      assertThat(window).isEqualTo(4L * Http2Limits.defaults().initialWindowBytes());
    }
  }

  private static byte[] frameHeader(int length, int type, int flags, int stream) {
    return new byte[] {
      (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
      (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream
    };
  }
}
