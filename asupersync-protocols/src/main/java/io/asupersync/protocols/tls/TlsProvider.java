package io.asupersync.protocols.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** The TLS implementation behind a context. */
public enum TlsProvider {
  /** BoringSSL through netty-tcnative: faster handshakes and AES-GCM/ChaCha20 in native code. */
  OPENSSL,
  /** The JDK's own JSSE implementation. */
  JDK;

  /** {@link #OPENSSL} when netty-tcnative loads on this machine, {@link #JDK} otherwise. */
  public static TlsProvider preferred() {
    return OpenSsl.isAvailable() ? OPENSSL : JDK;
  }

  /** Whether this provider can be used here; the JDK one always can. */
  public boolean isAvailable() {
    return this == JDK || OpenSsl.isAvailable();
  }

  SslProvider toNetty() {
    return this == OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
  }
}
