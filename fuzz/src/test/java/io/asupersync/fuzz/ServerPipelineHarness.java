package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.HttpFilter;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.http.internal.Http1UpgradeHandler;
import io.asupersync.protocols.http.internal.Router;
import io.asupersync.protocols.http.internal.ServerConfig;
import io.asupersync.protocols.http.internal.ServerEngine;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's real connection pipeline ({@link ServerEngine#initConnection}: preface sniffer, then the
 * HTTP/1.1 or HTTP/2 handlers with the configured limits) over an in-VM connection (Netty's local
 * transport: no socket, no system call per chunk), client and server on one event loop, requests
 * dispatched to handlers on a real runtime. The client writes the input in chunks; the harness waits until the connection is quiet (the server read the input or
 * stopped reading, no request is running, the client received everything the server wrote, across
 * event-loop barriers; or a handler stays parked waiting for body bytes that will not come), then reads
 * what the server answered and closes.
 *
 * <p>Measured per input: the bytes the event-loop thread allocated (decoders, HPACK, pipeline), and the
 * heap and direct bytes still held in buffers of the server's allocator once the connection closed
 * (the chunks the client writes and everything the server allocates come from one {@link
 * UnpooledByteBufAllocator}, whose metric counts live buffers: the server must have released every
 * input chunk and every buffer of its own, and the client every buffer the server wrote), which must
 * be zero.
 */
final class ServerPipelineHarness implements AutoCloseable {

  /** Small limits so the fuzzer reaches every limit check with short inputs. */
  static final Http1Limits H1 =
      new Http1Limits(256, 1024, 16, 4096, Duration.ofSeconds(30), Duration.ofSeconds(60), 8, true);

  static final Http2Limits H2 =
      Http2Limits.defaults()
          .withMaxHeaderListBytes(4096)
          .withMaxConcurrentStreams(8)
          .withInitialWindowBytes(65_535)
          .withMaxHeaderFragmentBytes(8192)
          .withMaxContinuationFrames(16)
          .withMaxResetsPerWindow(10)
          .withMaxEncoderResetsPerWindow(10)
          .withMaxPendingControlFrames(100)
          .withMaxHpackTableBytes(4096)
          .withMaxHpackStringBytes(4096)
          .withMaxBodyBytes(4096);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What the server did with one input. */
  record Result(byte[] answer, boolean closedByServer, long loopAllocatedBytes) {}

  /** Counts the bytes a server connection read and wrote; first in its pipeline. */
  private static final class Meter extends ChannelDuplexHandler {
    volatile long read;
    /** Written by the event loop only. */
    volatile long written;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) {
        read += b.readableBytes();
      }
      ctx.fireChannelRead(msg);
    }

    /** Counted once written: bytes a closing connection discards never reach the client. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof ByteBuf b) {
        int n = b.readableBytes();
        ctx.write(msg, promise.unvoid().addListener(f -> {
          if (f.isSuccess()) {
            written += n;
          }
        }));
      } else {
        ctx.write(msg, promise);
      }
    }
  }

  private final Runtime runtime;
  private final ServerEngine engine;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final UnpooledByteBufAllocator serverAlloc = new UnpooledByteBufAllocator(false);
  private final Channel server;
  private volatile Meter meter = new Meter();
  private volatile Channel accepted;
  private final long loopThread;
  /** Handlers inside a body read: the only place a handler waits for the client. */
  private final AtomicInteger bodyReaders = new AtomicInteger();
  private final long patienceNanos;

  /**
   * @param patience how long the output may stay unchanged while every running handler waits for body
   *     bytes before the harness decides no more will come (a handler that still runs is always waited
   *     for, up to 5 s)
   */
  ServerPipelineHarness(Duration patience) {
    this.patienceNanos = patience.toNanos();
    runtime = Runtime.builder().build();
    Router.Builder routes = Router.builder();
    routes.add("GET", "/", (cx, r) -> HttpResponse.ok("ok"));
    routes.add("GET", "/items/{id}", (cx, r) -> HttpResponse.ok("item"));
    // Reads the whole body: the body limit and the body queue's backpressure are on the path.
    routes.add("POST", "/", (cx, r) -> {
      bodyReaders.incrementAndGet();
      try {
        return HttpResponse.ok(Integer.toString(r.body().bytes(cx).length));
      } finally {
        bodyReaders.decrementAndGet();
      }
    });
    routes.add("PUT", "/", (cx, r) -> HttpResponse.of(204));
    ServerConfig config =
        new ServerConfig(
            runtime, -1, -1, null, null, H1, H2,
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1),
            false, 1, routes.build(), List.<HttpFilter>of(), Map.<String, Http1UpgradeHandler>of());
    engine = ServerEngine.start(config);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(LocalServerChannel.class)
            .childOption(ChannelOption.ALLOCATOR, serverAlloc)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(meter);
                    accepted = ch;
                    engine.initConnection(ch, null);
                  }
                })
            .bind(LocalAddress.ANY)
            .syncUninterruptibly()
            .channel();
    loopThread = loop.submit(() -> Thread.currentThread().threadId()).syncUninterruptibly().getNow();
  }

  /**
   * For the targets: impatient while fuzzing (throughput), patient when replaying the corpus (a loaded
   * machine may be slow to schedule a handler whose body is complete).
   */
  static ServerPipelineHarness forTargets() {
    boolean fuzzing = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    ServerPipelineHarness h = new ServerPipelineHarness(fuzzing ? Duration.ofMillis(5) : Duration.ofSeconds(1));
    // warm up both protocols' paths so class loading does not count against the first inputs
    h.drive("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Integer.MAX_VALUE);
    h.drive(new H2Wire().raw(H2Wire.PREFACE).settings().headers(1, H2Wire.END_STREAM | H2Wire.END_HEADERS, H2Wire.request("GET", "a")).bytes(), Integer.MAX_VALUE);
    return h;
  }

  /**
   * {@link #drive}, once more when the event loop allocated more than {@link #allocationLimit}: the
   * first pass over a new path also loads (and, when fuzzing, instruments) classes.
   */
  Result driveWithinAllocationLimit(byte[] wire, int chunk) {
    Result r = drive(wire, chunk);
    // up to two more passes: when fuzzing, Jazzer also retransforms classes the first passes touched
    for (int pass = 1; pass < 3 && r.loopAllocatedBytes() > allocationLimit(wire.length, chunk); pass++) {
      r = drive(wire, chunk);
    }
    return r;
  }

  /**
   * Linear in the input, plus a fixed cost per chunk and per connection (pipeline, codecs, channel,
   * runtime bookkeeping). Each chunk is a write of the harness's client and a read of the server on the
   * same event loop (outbound entry, promise, read event, cumulation step, decode attempt; a chunk of
   * request body also a content message and a body-queue entry): pipelined request bodies sent one byte
   * per chunk measured about 2.3 KB per chunk in a plain replay. What this bound is for is allocation
   * sized by an announced length, which exceeds it by orders of magnitude.
   */
  static long allocationLimit(int inputLength, int chunk) {
    long chunks = inputLength == 0 ? 0 : (inputLength + (long) chunk - 1) / chunk;
    return 64L * inputLength + 4096L * chunks + 4 * 1024 * 1024;
  }

  /** Sends {@code wire} in chunks of {@code chunk} bytes over a new connection and returns what came back. */
  Result drive(byte[] wire, int chunk) {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    Meter m = new Meter();
    meter = m;
    accepted = null;
    long before = THREADS.getThreadAllocatedBytes(loopThread);
    Channel client =
        new Bootstrap()
            .group(group)
            .channel(LocalChannel.class)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    b.release();
                    synchronized (answer) {
                      answer.writeBytes(bytes);
                    }
                  }
                })
            .connect(server.localAddress())
            .syncUninterruptibly()
            .channel();
    for (int at = 0; at < wire.length; at += chunk) {
      int n = Math.min(chunk, wire.length - at);
      client.writeAndFlush(serverAlloc.heapBuffer(n).writeBytes(wire, at, n));
    }
    awaitQuiet(m, wire.length, answer);
    boolean closedByServer = !client.isActive();
    client.close().syncUninterruptibly();
    Channel ch = accepted;
    if (ch != null) {
      ch.close().syncUninterruptibly();
    }
    awaitNoRequests();
    barrier();
    long allocated = THREADS.getThreadAllocatedBytes(loopThread) - before;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    for (int round = 0; heldByServer() > 0 && System.nanoTime() < deadline; round++) {
      barrier(); // a release may still be queued behind the close
      backOff(round);
    }
    assertThat(heldByServer()).as("bytes the server still holds in buffers after the connection closed").isZero();
    byte[] bytes;
    synchronized (answer) {
      bytes = answer.toByteArray();
    }
    return new Result(bytes, closedByServer, allocated);
  }

  private long heldByServer() {
    return serverAlloc.metric().usedHeapMemory() + serverAlloc.metric().usedDirectMemory();
  }

  private void awaitQuiet(Meter m, int inputLength, ByteArrayOutputStream answer) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long lastRead = -1;
    int lastSize = -1;
    int quietRounds = 0;
    long unchangedSince = System.nanoTime();
    for (int round = 0; System.nanoTime() < deadline; round++) {
      barrier();
      Channel ch = accepted;
      boolean open = ch == null || ch.isActive();
      int size;
      synchronized (answer) {
        size = answer.size();
      }
      boolean unchanged = size == lastSize && m.read == lastRead;
      if (!unchanged) {
        unchangedSince = System.nanoTime();
      }
      lastSize = size;
      lastRead = m.read;
      int inFlight = engine.inFlight();
      boolean delivered = size >= m.written;
      if ((m.read >= inputLength || !open) && inFlight == 0 && delivered && unchanged) {
        if (++quietRounds >= 2) {
          return;
        }
        continue;
      }
      quietRounds = 0;
      // Every running handler (maybe none) waits for body bytes that will not come, or the server
      // stopped reading (a connection it is closing, a flow-controlled stream): closing ends both.
      if (inFlight == bodyReaders.get() && delivered && unchanged
          && System.nanoTime() - unchangedSince > patienceNanos) {
        return;
      }
      backOff(round);
    }
  }

  private void awaitNoRequests() {
    // generous: a fuzzer niced to 19 on a busy machine can be starved for seconds
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int round = 0; engine.inFlight() > 0; round++) {
      assertThat(System.nanoTime()).as("requests still running after the connection closed").isLessThan(deadline);
      backOff(round);
    }
  }

  /**
   * Between polls: yield first (a handler on a runtime thread usually finishes within a few
   * scheduling rounds), then park for longer and longer, up to 1 ms.
   */
  private static void backOff(int round) {
    if (round < 16) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(Math.min(1_000_000L, 20_000L << Math.min(round - 16, 6)));
    }
  }

  /** Waits until the event loop ran every task queued before this call. */
  private void barrier() {
    loop.submit(() -> {}).syncUninterruptibly();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    engine.shutdown();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    runtime.close();
  }
}
