package io.asupersync.protocols.redis;

import io.asupersync.protocols.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.jspecify.annotations.Nullable;

/**
 * Opens the connections of one {@link RedisClient}: TCP (with TLS first when configured), the decoder
 * with its limits, and the handshake (HELLO or AUTH, CLIENT SETNAME, SELECT), bounded by the connect
 * timeout. A connection is handed back only once the server accepted the handshake.
 */
final class Connector {
  private final RedisClient client;
  private final String host;
  private final int port;
  private final @Nullable String username;
  private final byte @Nullable [] password;
  private final int database;
  private final boolean resp3;
  private final @Nullable String clientName;
  private final @Nullable ClientTls tls;
  private final Duration connectTimeout;
  private final RedisLimits limits;
  private final Bootstrap bootstrap;
  private final AtomicLong connectionIds = new AtomicLong();
  final LongAccumulator peakBuffered = new LongAccumulator(Math::max, 0);
  final LongAccumulator peakAllocated = new LongAccumulator(Math::max, 0);

  Connector(
      RedisClient client,
      EventLoopGroup group,
      String host,
      int port,
      @Nullable String username,
      byte @Nullable [] password,
      int database,
      boolean resp3,
      @Nullable String clientName,
      @Nullable ClientTls tls,
      Duration connectTimeout,
      RedisLimits limits) {
    this.client = client;
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
    this.database = database;
    this.resp3 = resp3;
    this.clientName = clientName;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.limits = limits;
    this.bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
  }

  /** Opens and hands back a connection that completed its handshake; not yet in any pool. */
  CompletableFuture<Connection> connect() {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    if (client.isClosed()) {
      result.completeExceptionally(new RedisConnectionException("client closed", null));
      return result;
    }
    RespFrameDecoder decoder = new RespFrameDecoder(limits, peakBuffered, peakAllocated);
    Connection conn = new Connection(client, connectionIds.incrementAndGet());
    ChannelFuture cf;
    try {
      cf = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), host, port));
          }
          ch.pipeline().addLast(decoder, conn);
        }
      }).connect(host, port);
    } catch (RuntimeException e) {
      result.completeExceptionally(new RedisConnectionException("cannot connect to " + host + ":" + port, e));
      return result;
    }
    conn.attach(cf.channel());
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new RedisConnectionException("cannot connect to " + host + ":" + port, f.cause()));
        return;
      }
      Call hello = handshake();
      hello.listener = done -> finishHandshake(conn, done, result);
      conn.submit(hello);
      cf.channel().eventLoop().schedule(() -> {
        if (!result.isDone()) {
          conn.discard("handshake not answered within " + connectTimeout, null);
        }
      }, connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    });
    return result;
  }

  private Call handshake() {
    List<RedisCommand> commands = new ArrayList<>();
    if (resp3) {
      List<Object> hello = new ArrayList<>(List.of("3"));
      if (password != null) {
        hello.add("AUTH");
        hello.add(username == null ? "default" : username);
        hello.add(password);
      }
      if (clientName != null) {
        hello.add("SETNAME");
        hello.add(clientName);
      }
      commands.add(RedisCommand.of("HELLO", hello.toArray()));
    } else {
      if (password != null) {
        commands.add(username == null ? RedisCommand.of("AUTH", (Object) password) : RedisCommand.of("AUTH", username, password));
      }
      if (clientName != null) {
        commands.add(RedisCommand.of("CLIENT", "SETNAME", clientName));
      }
      commands.add(RedisCommand.of("CLIENT", "ID"));
    }
    if (database != 0) {
      commands.add(RedisCommand.of("SELECT", database));
    }
    return new Call("CONNECT", commands, 0, 0);
  }

  private void finishHandshake(Connection conn, Call done, CompletableFuture<Connection> result) {
    if (done.state() != Call.DONE) {
      result.completeExceptionally(new RedisConnectionException("connection handshake failed", done.failure()));
      return;
    }
    for (int i = 0; i < done.replies().size(); i++) {
      RespValue reply = done.replies().get(i);
      if (reply instanceof RespValue.ErrorReply error) {
        // The error names what was refused (WRONGPASS, NOAUTH, ...), never the credentials sent.
        conn.discard("handshake refused", null);
        result.completeExceptionally(new RedisConnectionException("connection handshake refused",
            new RedisServerException(done.commands.get(i).name(), error)));
        return;
      }
      if (reply instanceof RespValue.MapReply hello) {
        RespValue id = hello.entries().get(RespValue.BulkString.of("id"));
        if (id == null) {
          id = hello.entries().get(new RespValue.SimpleString("id"));
        }
        if (id instanceof RespValue.IntegerReply n) {
          conn.serverId = n.value();
        }
      } else if (done.commands.get(i).name().equals("CLIENT") && reply instanceof RespValue.IntegerReply n) {
        conn.serverId = n.value();
      }
    }
    if (!result.complete(conn)) {
      conn.discard("handshake finished too late", null);
    }
  }

  static RedisException connectFailure(CompletableFuture<Connection> failed) {
    try {
      failed.join();
      return new RedisConnectionException("connection failed", null);
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause() instanceof RedisException re ? re : new RedisConnectionException("connection failed", e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      return new RedisConnectionException("connection cancelled", e);
    }
  }
}
