package io.asupersync.protocols.tls;

import io.asupersync.protocols.ApplicationProtocol;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TLS side of a client: which servers to trust (the JDK's default CAs unless set), an optional client
 * certificate for mTLS, hostname verification (on by default: the server's certificate must name the host
 * the client dialled), and the same protocol, cipher and ALPN policy as {@link ServerTls}.
 *
 * <p>Always open connections through {@link #newHandler}, which passes the host for SNI and for the
 * hostname check. Thread-safe. {@link #reload()} builds the context again from the same sources (files
 * read again, factory suppliers asked again) for the connections opened after it; open connections keep
 * theirs. Clients take the context per connection, so a reload reaches their next connection.
 */
public final class ClientTls implements Supplier<SslContext> {

  private final @Nullable TrustSource trust;
  private final @Nullable KeySource key;
  private final TlsProvider provider;
  private final List<ApplicationProtocol> alpn;
  private final boolean hostnameVerification;
  private volatile SslContext context;

  private ClientTls(Builder b) throws TlsConfigException {
    this.trust = b.trust;
    this.key = b.key;
    this.provider = b.provider;
    this.alpn = b.alpn;
    this.hostnameVerification = b.hostnameVerification;
    this.context = buildContext();
  }

  private SslContext buildContext() throws TlsConfigException {
    // Netty treats an empty algorithm as "no endpoint identification".
    SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : "");
    if (trust != null) {
      builder.trustManager(trust.load());
    }
    if (key != null) {
      builder.keyManager(key.load());
    }
    return TlsPolicy.build(builder, provider, alpn, "client");
  }

  /**
   * Builds the context again from the sources and makes it the one for new connections (a rotated
   * client certificate, a new CA).
   *
   * @throws TlsConfigException if the material is bad; the current context stays in use
   */
  public synchronized void reload() throws TlsConfigException {
    context = buildContext();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Trusts the JDK's default CAs, no client certificate, hostname verification on. */
  public static ClientTls systemDefault() throws TlsConfigException {
    return builder().build();
  }

  @Override
  public SslContext get() {
    return context;
  }

  /** A handler for a connection to {@code host:port}; the host is sent as SNI and checked against the certificate. */
  public SslHandler newHandler(ByteBufAllocator allocator, String host, int port) {
    return context.newHandler(allocator, host, port);
  }

  public TlsProvider provider() {
    return provider;
  }

  /** ALPN identifiers offered, in preference order. */
  public List<ApplicationProtocol> applicationProtocols() {
    return alpn;
  }

  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  @Override
  public String toString() {
    return "ClientTls[" + provider + ", alpn=" + alpn + ", hostnameVerification=" + hostnameVerification + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private @Nullable KeySource key;
    private @Nullable TrustSource trust;
    private List<ApplicationProtocol> alpn = TlsPolicy.DEFAULT_ALPN;
    private TlsProvider provider = TlsProvider.preferred();
    private boolean hostnameVerification = true;

    private Builder() {}

    /** CA certificates (PEM) that server certificates must chain to, instead of the JDK's defaults. */
    public Builder trustPem(Path... caFiles) {
      if (caFiles.length == 0) {
        throw new IllegalArgumentException("at least one CA file");
      }
      trust = new TrustSource.PemFiles(List.of(caFiles));
      return this;
    }

    public Builder trustStore(Path file, char @Nullable [] password) {
      trust = new TrustSource.StoreFile(file, password == null ? null : password.clone());
      return this;
    }

    public Builder trustStore(KeyStore store) {
      trust = new TrustSource.Store(Objects.requireNonNull(store, "store"));
      return this;
    }

    public Builder trustManagerFactory(TrustManagerFactory factory) {
      Objects.requireNonNull(factory, "factory");
      trust = new TrustSource.Factory(() -> factory);
      return this;
    }

    /** A factory asked again on every {@link ClientTls#reload()}, e.g. from a Spring SSL bundle. */
    public Builder trustManagerFactory(Supplier<TrustManagerFactory> factory) {
      trust = new TrustSource.Factory(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Client certificate chain and unencrypted PKCS#8 key (PEM) for mTLS. */
    public Builder keyPem(Path certificateChain, Path privateKey) {
      key = new KeySource.PemFiles(certificateChain, privateKey, null);
      return this;
    }

    public Builder keyPem(Path certificateChain, Path privateKey, char[] password) {
      key = new KeySource.PemFiles(certificateChain, privateKey, password.clone());
      return this;
    }

    public Builder keyStore(Path file, char[] password) {
      key = new KeySource.StoreFile(file, password.clone(), password.clone());
      return this;
    }

    public Builder keyStore(KeyStore store, char[] keyPassword) {
      key = new KeySource.Store(Objects.requireNonNull(store, "store"), keyPassword.clone());
      return this;
    }

    public Builder keyManagerFactory(KeyManagerFactory factory) {
      Objects.requireNonNull(factory, "factory");
      key = new KeySource.Factory(() -> factory);
      return this;
    }

    /** A factory asked again on every {@link ClientTls#reload()}, e.g. from a Spring SSL bundle. */
    public Builder keyManagerFactory(Supplier<KeyManagerFactory> factory) {
      key = new KeySource.Factory(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * Whether the server certificate must match the host dialled (endpoint identification "HTTPS");
     * default true. Turning it off accepts any certificate the trust source chains, for any host.
     */
    public Builder hostnameVerification(boolean value) {
      hostnameVerification = value;
      return this;
    }

    /** ALPN identifiers to offer, in preference order; default h2 then http/1.1. */
    public Builder applicationProtocols(ApplicationProtocol... protocols) {
      alpn = TlsPolicy.alpnList(protocols);
      return this;
    }

    public Builder provider(TlsProvider value) {
      provider = Objects.requireNonNull(value, "provider");
      return this;
    }

    /** @throws TlsConfigException if a source is missing or bad, or the provider is not available */
    public ClientTls build() throws TlsConfigException {
      TlsPolicy.checkProvider(provider);
      return new ClientTls(this);
    }
  }
}
