package io.asupersync.protocols.tls;

import io.asupersync.Cx;
import io.asupersync.TaskBody;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.tls.TlsConfigException.Reason;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TLS side of a server port: key material, optional client-certificate trust, and the policy every
 * port shares (TLS 1.3 and 1.2 only, AEAD cipher suites with forward secrecy, ALPN).
 *
 * <p>{@link #get()} returns the context for the next accepted connection. {@link #reload()} builds a new
 * context from the same sources (files are read again, suppliers asked again) and swaps it in atomically;
 * connections already open keep the context they started with. If the new material is bad, the old
 * context stays and the reload throws {@link TlsConfigException}. {@link #watch(Duration)} gives a task
 * that polls the source files and reloads when their content changes.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.builder()
 *     .keyPem(Path.of("chain.pem"), Path.of("key.pem"))
 *     .trustPem(Path.of("clients-ca.pem"))
 *     .clientAuth(ClientAuth.NEED)
 *     .build();
 * runtime.spawn("tls-watch", tls.watch(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ServerTls implements Supplier<SslContext> {
  private static final System.Logger LOG = System.getLogger(ServerTls.class.getName());

  private record Loaded(SslContext context, byte[] fingerprint, long generation) {}

  private final KeySource key;
  private final @Nullable TrustSource trust;
  private final ClientAuth clientAuth;
  private final List<ApplicationProtocol> alpn;
  private final TlsProvider provider;
  private final List<Path> files;
  private final ReentrantLock reloadLock = new ReentrantLock();
  private volatile Loaded current;
  // Guarded by reloadLock: the files' content at the last attempt, so a bad file is not retried until it changes.
  private byte[] lastAttempt;

  private ServerTls(Builder b, KeySource key) throws TlsConfigException {
    this.key = key;
    this.trust = b.trust;
    this.clientAuth = b.clientAuth;
    this.alpn = b.alpn;
    this.provider = b.provider;
    List<Path> all = new ArrayList<>(key.files());
    if (trust != null) {
      all.addAll(trust.files());
    }
    this.files = List.copyOf(all);
    byte[] fingerprint = Fingerprint.of(files);
    this.current = new Loaded(buildContext(), fingerprint, 1);
    this.lastAttempt = fingerprint;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The context for a new connection: the one built by the last successful {@link #reload()}. */
  @Override
  public SslContext get() {
    return current.context();
  }

  /**
   * Builds a context from the sources again and makes it current for new connections.
   *
   * @throws TlsConfigException if the material is bad; the current context stays in use
   */
  public void reload() throws TlsConfigException {
    reloadLock.lock();
    try {
      byte[] fingerprint = Fingerprint.of(files);
      lastAttempt = fingerprint;
      SslContext context = buildContext();
      current = new Loaded(context, fingerprint, current.generation() + 1);
    } finally {
      reloadLock.unlock();
    }
  }

  /**
   * Reloads when the content of a source file differs from the last attempt (successful or not).
   *
   * @return whether a new context was installed
   * @throws TlsConfigException if the changed material is bad; the current context stays in use, and the
   *     same bad content is not tried again
   */
  public boolean reloadIfChanged() throws TlsConfigException {
    reloadLock.lock();
    try {
      if (files.isEmpty() || Fingerprint.same(Fingerprint.of(files), lastAttempt)) {
        return false;
      }
      reload();
      return true;
    } finally {
      reloadLock.unlock();
    }
  }

  /**
   * A task body that checks the source files every {@code interval} and reloads when they changed, until
   * cancelled. A failed reload is logged (WARNING) and traced as a user event {@code tls.reload.failed}
   * with the reason; the old context stays. In-memory sources (key stores, factories) are not watched:
   * call {@link #reload()} when they change (for example from a Spring SSL bundle update handler).
   */
  public TaskBody<@Nullable Void> watch(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    return cx -> {
      while (true) {
        cx.sleep(interval);
        pollOnce(cx);
      }
    };
  }

  private void pollOnce(Cx cx) {
    try {
      if (reloadIfChanged()) {
        cx.trace("tls.reloaded", Map.of("generation", Long.toString(generation())));
      }
    } catch (TlsConfigException e) {
      LOG.log(Level.WARNING, "TLS reload failed, keeping the previous context: " + e.getMessage());
      cx.trace("tls.reload.failed", Map.of("reason", e.reason().name()));
    }
  }

  /** 1 for the context built by {@link Builder#build()}, one more for each successful reload. */
  public long generation() {
    return current.generation();
  }

  /** The implementation in use: OpenSSL (BoringSSL) or the JDK. */
  public TlsProvider provider() {
    return provider;
  }

  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /** ALPN identifiers in the server's order of preference. */
  public List<ApplicationProtocol> applicationProtocols() {
    return alpn;
  }

  private SslContext buildContext() throws TlsConfigException {
    KeyManagerFactory kmf = key.load();
    SslContextBuilder builder = SslContextBuilder.forServer(kmf).clientAuth(clientAuth.toNetty());
    if (trust != null) {
      TrustManagerFactory tmf = trust.load();
      builder.trustManager(tmf);
    }
    return TlsPolicy.build(builder, provider, alpn, "server");
  }

  @Override
  public String toString() {
    return "ServerTls[" + provider + ", clientAuth=" + clientAuth + ", alpn=" + alpn + ", generation=" + generation() + "]";
  }

  /** Collects sources and settings; {@link #build()} loads them once to fail fast. Not thread-safe. */
  public static final class Builder {
    private @Nullable KeySource key;
    private @Nullable TrustSource trust;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private List<ApplicationProtocol> alpn = TlsPolicy.DEFAULT_ALPN;
    private TlsProvider provider = TlsProvider.preferred();

    private Builder() {}

    /** Certificate chain (leaf first) and an unencrypted PKCS#8 key, both PEM files. */
    public Builder keyPem(Path certificateChain, Path privateKey) {
      return key(new KeySource.PemFiles(certificateChain, privateKey, null));
    }

    /** Certificate chain and a PKCS#8 key encrypted with {@code password} ({@code ENCRYPTED PRIVATE KEY}). */
    public Builder keyPem(Path certificateChain, Path privateKey, char[] password) {
      return key(new KeySource.PemFiles(certificateChain, privateKey, password.clone()));
    }

    /** A PKCS#12 or JKS file whose store and key share one password. */
    public Builder keyStore(Path file, char[] password) {
      return keyStore(file, password, password);
    }

    public Builder keyStore(Path file, char[] storePassword, char[] keyPassword) {
      return key(new KeySource.StoreFile(file, storePassword.clone(), keyPassword.clone()));
    }

    /** A loaded key store; a reload reads the same object again. */
    public Builder keyStore(KeyStore store, char[] keyPassword) {
      return key(new KeySource.Store(Objects.requireNonNull(store, "store"), keyPassword.clone()));
    }

    public Builder keyManagerFactory(KeyManagerFactory factory) {
      Objects.requireNonNull(factory, "factory");
      return key(new KeySource.Factory(() -> factory));
    }

    /** A factory asked again on every reload, e.g. {@code () -> bundles.getBundle("web").getManagers().getKeyManagerFactory()}. */
    public Builder keyManagerFactory(Supplier<KeyManagerFactory> factory) {
      return key(new KeySource.Factory(Objects.requireNonNull(factory, "factory")));
    }

    /** CA certificates (PEM, several per file allowed) that client certificates must chain to. */
    public Builder trustPem(Path... caFiles) {
      if (caFiles.length == 0) {
        throw new IllegalArgumentException("at least one CA file");
      }
      trust = new TrustSource.PemFiles(List.of(caFiles));
      return this;
    }

    /** A PKCS#12 or JKS trust store; {@code password} may be null for a store without integrity check. */
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

    public Builder trustManagerFactory(Supplier<TrustManagerFactory> factory) {
      trust = new TrustSource.Factory(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Default {@link ClientAuth#NONE}; WANT and NEED need a trust source. */
    public Builder clientAuth(ClientAuth value) {
      clientAuth = Objects.requireNonNull(value, "clientAuth");
      return this;
    }

    /** ALPN identifiers to offer, in preference order; default h2 then http/1.1. */
    public Builder applicationProtocols(ApplicationProtocol... protocols) {
      alpn = TlsPolicy.alpnList(protocols);
      return this;
    }

    /** Only h2, for ports that serve nothing but gRPC. */
    public Builder h2Only() {
      return applicationProtocols(ApplicationProtocol.HTTP_2);
    }

    /** Default {@link TlsProvider#preferred()}; asking for OpenSSL where it does not load fails the build. */
    public Builder provider(TlsProvider value) {
      provider = Objects.requireNonNull(value, "provider");
      return this;
    }

    private Builder key(KeySource source) {
      key = source;
      return this;
    }

    /**
     * Loads every source and builds the first context.
     *
     * @throws TlsConfigException if key material is missing or bad, client authentication has no trust
     *     source, or the provider is not available
     */
    public ServerTls build() throws TlsConfigException {
      KeySource k = key;
      if (k == null) {
        throw new TlsConfigException(Reason.INVALID_SETTINGS, "a server needs key material: keyPem, keyStore or keyManagerFactory");
      }
      if (clientAuth != ClientAuth.NONE && trust == null) {
        throw new TlsConfigException(
            Reason.INVALID_SETTINGS, "clientAuth " + clientAuth + " needs a trust source for client certificates: trustPem, trustStore or trustManagerFactory");
      }
      TlsPolicy.checkProvider(provider);
      return new ServerTls(this, k);
    }
  }
}
