package io.asupersync.net;

import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/** Turns what the JDK throws into a {@link NetException} with a reason. */
final class NetErrors {

  private NetErrors() {}

  static NetException map(IOException e, String what) {
    if (e instanceof NetException ne) {
      return ne;
    }
    return new NetException(reasonOf(e), what + ": " + e, e);
  }

  static NetException unresolved(UnresolvedAddressException e, String what) {
    return new NetException(NetException.Reason.UNREACHABLE, what + ": address did not resolve", e);
  }

  static NetException.Reason reasonOf(IOException e) {
    if (e instanceof ClosedChannelException) {
      return NetException.Reason.CLOSED;
    }
    if (e instanceof PortUnreachableException) {
      return NetException.Reason.CONNECTION_REFUSED;
    }
    if (e instanceof NoRouteToHostException) {
      return NetException.Reason.UNREACHABLE;
    }
    if (e instanceof NoSuchFileException) {
      return NetException.Reason.NOT_FOUND;
    }
    if (e instanceof AccessDeniedException) {
      return NetException.Reason.PERMISSION_DENIED;
    }
    // The JDK reports most socket errors as SocketException/IOException with the OS wording only.
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("refused")) {
      return NetException.Reason.CONNECTION_REFUSED;
    }
    if (m.contains("reset")) {
      return NetException.Reason.CONNECTION_RESET;
    }
    if (m.contains("broken pipe")) {
      return NetException.Reason.BROKEN_PIPE;
    }
    if (m.contains("permission denied") || m.contains("operation not permitted") || m.contains("access denied")) {
      return NetException.Reason.PERMISSION_DENIED;
    }
    if (m.contains("no such file")) {
      return NetException.Reason.NOT_FOUND;
    }
    if (m.contains("address already in use") || e instanceof BindException) {
      return NetException.Reason.ADDRESS_IN_USE;
    }
    if (m.contains("unreachable")) {
      return NetException.Reason.UNREACHABLE;
    }
    return NetException.Reason.OTHER;
  }
}
