package io.asupersync.benchmarks;

import com.google.protobuf.ByteString;
import io.asupersync.Runtime;
import io.asupersync.interop.InteropTestService;
import io.asupersync.interop.TestServiceMethods;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.http.AsupersyncServer;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * P9: unary gRPC calls per second of our server against grpc-java's server, the same service and the
 * same load client, in one run.
 *
 * <p>Both servers run in this JVM on loopback and serve {@code grpc.testing.TestService/UnaryCall} the
 * way {@link InteropTestService} does (a response with {@code response_size} zero bytes): ours on an
 * {@link AsupersyncServer}, grpc-java's on its Netty server (registered without code generation, default
 * executor). The load client is h2load (nghttp2, C, external process): the same request bytes,
 * connections and concurrent streams for both. A gRPC error is also HTTP 200, so each measurement also
 * checks that the server's handler completed at least as many calls as h2load counted 2xx; before and
 * after the load a grpc-java client checks each server answers the call with OK and the right payload.
 *
 * <p>Order: warm-up of each server (5-second loads until two in a row agree within 10 %), then {@code
 * rounds} alternating measurements (ours, grpc-java, ...); the ratio is the median of ours over the
 * median of grpc-java.
 *
 * <p>Arguments (all optional, {@code name=value}): {@code warmup=60} most seconds of warm-up per server, {@code
 * measure=10} seconds per measurement, {@code rounds=2}, {@code connections=4}, {@code streams=32}
 * concurrent streams per connection, {@code payload=32} request and response payload bytes.
 */
public final class P9GrpcUnaryLoad {

  private static final String PATH = "/grpc.testing.TestService/UnaryCall";
  private static final Pattern RPS = Pattern.compile("finished in [^,]+, ([0-9.]+) req/s");
  private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");

  private P9GrpcUnaryLoad() {}

  public static void main(String[] args) throws Exception {
    // h2load ends its connections abruptly when a run ends; grpc-java logs each stream it loses.
    java.util.logging.Logger.getLogger("io.grpc").setLevel(java.util.logging.Level.SEVERE);
    int warmup = intArg(args, "warmup", 60);
    int measure = intArg(args, "measure", 10);
    int rounds = intArg(args, "rounds", 2);
    int connections = intArg(args, "connections", 4);
    int streams = intArg(args, "streams", 32);
    int payload = intArg(args, "payload", 32);

    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(payload)
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payload])))
            .build();
    Path body = Files.createTempFile("p9-request", ".bin");
    Files.write(body, framed(request.toByteArray()));

    try (Runtime runtime = Runtime.builder().build()) {
      AsupersyncServer ours =
          GrpcRouter.builder().service(ourService()).build()
              .installOn(AsupersyncServer.builder(runtime).bindAddress(InetAddress.getLoopbackAddress()).cleartextPort(0))
              .start();
      Server peer =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(grpcJavaService()).build().start();
      try {
        int ourPort = ours.cleartextPort();
        int peerPort = peer.getPort();
        check(ourPort, request, payload);
        check(peerPort, request, payload);
        System.out.printf(Locale.ROOT, "P9 gRPC unary: %d connections x %d streams, payload %d B, warm-up %d s, %d x %d s%n",
            connections, streams, payload, warmup, rounds, measure);
        warmUp("ours", ourPort, body, connections, streams, warmup);
        warmUp("grpc-java", peerPort, body, connections, streams, warmup);
        List<Double> oursQps = new ArrayList<>();
        List<Double> peerQps = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          oursQps.add(load("ours", ourPort, body, connections, streams, measure, OURS_OK));
          peerQps.add(load("grpc-java", peerPort, body, connections, streams, measure, PEER_OK));
        }
        check(ourPort, request, payload);
        check(peerPort, request, payload);
        double ratio = median(oursQps) / median(peerQps);
        System.out.printf(Locale.ROOT, "P9 result: ours %.0f req/s (median of %s), grpc-java %.0f req/s (median of %s), ratio %.2fx%n",
            median(oursQps), oursQps, median(peerQps), peerQps, ratio);
      } finally {
        peer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        ours.close();
      }
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /** Calls each server's handler completed: h2load counts any 2xx, and a gRPC error is a 2xx too. */
  private static final AtomicLong OURS_OK = new AtomicLong();
  private static final AtomicLong PEER_OK = new AtomicLong();

  /** Our UnaryCall, as {@link InteropTestService} serves it, counting the calls it answers. */
  private static GrpcService ourService() {
    return GrpcService.builder(TestServiceMethods.SERVICE)
        .unary(TestServiceMethods.UNARY_CALL, (cx, call, req) -> {
          SimpleResponse response = response(req);
          OURS_OK.incrementAndGet();
          return response;
        })
        .build();
  }

  private static SimpleResponse response(SimpleRequest req) {
    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (req.getResponseSize() > 0) {
      response.setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[req.getResponseSize()])));
    }
    return response.build();
  }

  /** grpc-java's server for UnaryCall with the same behaviour as ours, without generated stubs. */
  private static ServerServiceDefinition grpcJavaService() {
    MethodDescriptor<SimpleRequest, SimpleResponse> unary =
        MethodDescriptor.<SimpleRequest, SimpleResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.testing.TestService/UnaryCall")
            .setRequestMarshaller(ProtoUtils.marshaller(SimpleRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(SimpleResponse.getDefaultInstance()))
            .build();
    return ServerServiceDefinition.builder("grpc.testing.TestService")
        .addMethod(unary, ServerCalls.asyncUnaryCall((req, responses) -> {
          responses.onNext(response(req));
          responses.onCompleted();
          PEER_OK.incrementAndGet();
        }))
        .build();
  }

  /**
   * Runs 5-second loads until two in a row agree within 10 % (the JIT has settled: a fresh JVM needs
   * about a million requests), at most {@code maxSeconds}.
   */
  private static void warmUp(String label, int port, Path body, int connections, int streams, int maxSeconds)
      throws IOException, InterruptedException {
    double previous = -1;
    for (int spent = 0; spent < maxSeconds; spent += 5) {
      double qps = load("warm-up " + label, port, body, connections, streams, 5, null);
      if (previous > 0 && Math.abs(qps - previous) <= 0.1 * Math.max(qps, previous)) {
        return;
      }
      previous = qps;
    }
  }

  /** One call through grpc-java's client: OK with the expected payload, or the run stops. */
  private static void check(int port, SimpleRequest request, int payload) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      MethodDescriptor<SimpleRequest, SimpleResponse> unary =
          MethodDescriptor.<SimpleRequest, SimpleResponse>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName("grpc.testing.TestService/UnaryCall")
              .setRequestMarshaller(ProtoUtils.marshaller(SimpleRequest.getDefaultInstance()))
              .setResponseMarshaller(ProtoUtils.marshaller(SimpleResponse.getDefaultInstance()))
              .build();
      SimpleResponse response = ClientCalls.blockingUnaryCall(channel, unary, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
      if (response.getPayload().getBody().size() != payload) {
        throw new IllegalStateException("server on port " + port + " answered a payload of " + response.getPayload().getBody().size());
      }
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Runs h2load for {@code seconds} against {@code port}; returns requests per second. Every response
   * must be 2xx and, when {@code handled} is given, the server's handler must have completed at least
   * as many calls (a gRPC error answer is a 2xx too, so the 2xx alone prove nothing).
   */
  private static double load(String label, int port, Path body, int connections, int streams, int seconds, @Nullable AtomicLong handled)
      throws IOException, InterruptedException {
    long before = handled == null ? 0 : handled.get();
    List<String> command = List.of(
        "h2load", "-D", Integer.toString(seconds), "-c", Integer.toString(connections), "-m", Integer.toString(streams), "-t", "1",
        "-d", body.toString(), "-H", "content-type: application/grpc", "-H", "te: trailers",
        "http://127.0.0.1:" + port + PATH);
    Process h2load = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(h2load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (h2load.waitFor() != 0) {
      throw new IllegalStateException("h2load failed:\n" + output);
    }
    Matcher rps = RPS.matcher(output);
    Matcher status = STATUS.matcher(output);
    if (!rps.find() || !status.find()) {
      throw new IllegalStateException("unexpected h2load output:\n" + output);
    }
    long bad = Long.parseLong(status.group(2)) + Long.parseLong(status.group(3)) + Long.parseLong(status.group(4));
    if (bad > 0 || Long.parseLong(status.group(1)) == 0) {
      throw new IllegalStateException(label + ": responses other than 2xx:\n" + output);
    }
    long ok = Long.parseLong(status.group(1));
    if (handled != null && handled.get() - before < ok) {
      throw new IllegalStateException(label + ": h2load counted " + ok + " 2xx, the handler completed " + (handled.get() - before));
    }
    double qps = Double.parseDouble(rps.group(1));
    System.out.printf(Locale.ROOT, "  %-18s %10.0f req/s (%d 2xx%s)%n", label, qps, ok,
        handled == null ? "" : ", " + (handled.get() - before) + " completed by the handler");
    return qps;
  }

  private static byte[] framed(byte[] message) {
    return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return Integer.parseInt(a.substring(name.length() + 1));
      }
    }
    return fallback;
  }
}
