package io.asupersync.protocols.http.internal;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.HttpFilter;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A server's settings, as the builder collected and checked them; ports are -1 when disabled. */
public record ServerConfig(
    Runtime runtime,
    int cleartextPort,
    int tlsPort,
    @Nullable Supplier<SslContext> tlsContext,
    @Nullable InetAddress bindAddress,
    Http1Limits http1Limits,
    Http2Limits http2Limits,
    Duration defaultTimeout,
    Duration maxClientTimeout,
    Duration shutdownTimeout,
    boolean nativeTransport,
    int ioThreads,
    Router router,
    List<HttpFilter> filters,
    Map<String, Http1UpgradeHandler> upgrades) {}
