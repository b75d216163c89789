package io.asupersync.protocols.grpc;

import io.asupersync.Cx;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.WatchChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The standard health service, {@code grpc.health.v1.Health}, with its {@code Check} and {@code Watch}
 * methods: what load balancers and {@code grpc_health_probe} ask. The service name {@code ""} stands for
 * the whole server and starts SERVING; other services are unknown until {@link #setStatus}.
 *
 * <p>Its two messages are tiny and encoded here, so the service works without protobuf-java on the
 * class path; {@link #CHECK} and {@link #WATCH} carry the request as the service name and the response
 * as a {@link ServingStatus}, which also makes them easy to call with {@link GrpcClient}.
 *
 * <p>Thread-safe.
 */
public final class GrpcHealth {

  public static final String SERVICE = "grpc.health.v1.Health";

  /** Serving status of a service, with its protobuf enum numbers. */
  public enum ServingStatus {
    UNKNOWN,
    SERVING,
    NOT_SERVING,
    /** Only in Watch responses: the service is not registered. */
    SERVICE_UNKNOWN;

    static ServingStatus fromNumber(long number) {
      return number >= 0 && number < values().length ? values()[(int) number] : UNKNOWN;
    }
  }

  /** {@code Check}: the status of one service; {@code NOT_FOUND} for a service never set. */
  public static final MethodDescriptor<String, ServingStatus> CHECK =
      MethodDescriptor.unary(SERVICE, "Check", new RequestCodec(), new ResponseCodec());

  /** {@code Watch}: the status now, then every change, until the client cancels. */
  public static final MethodDescriptor<String, ServingStatus> WATCH =
      MethodDescriptor.serverStreaming(SERVICE, "Watch", new RequestCodec(), new ResponseCodec());

  /** Immutable snapshots of every status: watchers wake on any change and compare their own. */
  private final WatchChannel<Map<String, ServingStatus>> statuses = WatchChannel.of(Map.of("", ServingStatus.SERVING));
  private final Object lock = new Object();
  private boolean shutdown;

  private GrpcHealth() {}

  /** A health registry where the server as a whole ({@code ""}) is SERVING. */
  public static GrpcHealth create() {
    return new GrpcHealth();
  }

  /**
   * Sets the status of {@code service} ({@code ""}: the server). Ignored after {@link #enterShutdown}.
   *
   * @throws IllegalArgumentException for {@link ServingStatus#SERVICE_UNKNOWN}, which only Watch reports
   */
  public void setStatus(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    if (Objects.requireNonNull(status, "status") == ServingStatus.SERVICE_UNKNOWN) {
      throw new IllegalArgumentException("SERVICE_UNKNOWN is not a status to set; use clearStatus");
    }
    update(service, status);
  }

  /** Forgets {@code service}: Check answers NOT_FOUND, watchers see SERVICE_UNKNOWN. */
  public void clearStatus(String service) {
    update(Objects.requireNonNull(service, "service"), null);
  }

  /** The status of {@code service}, or {@code null} when it is not registered. */
  public @Nullable ServingStatus status(String service) {
    return statuses.borrow().get(service);
  }

  /** Every registered service becomes NOT_SERVING for good (a server going down); later sets are ignored. */
  public void enterShutdown() {
    synchronized (lock) {
      Map<String, ServingStatus> next = new HashMap<>();
      statuses.borrow().keySet().forEach(name -> next.put(name, ServingStatus.NOT_SERVING));
      publish(next);
      shutdown = true;
    }
  }

  private void update(String service, @Nullable ServingStatus status) {
    synchronized (lock) {
      if (shutdown) {
        return;
      }
      Map<String, ServingStatus> next = new HashMap<>(statuses.borrow());
      if (status == null) {
        next.remove(service);
      } else {
        next.put(service, status);
      }
      publish(next);
    }
  }

  private void publish(Map<String, ServingStatus> next) {
    try {
      statuses.send(Map.copyOf(next));
    } catch (ChannelClosedException e) {
      throw new IllegalStateException("health channel is never closed", e);
    }
  }

  /** The service to register on a {@link GrpcRouter}. */
  public GrpcService service() {
    return GrpcService.builder(SERVICE)
        .unary(CHECK, (cx, call, service) -> {
          ServingStatus status = status(service);
          if (status == null) {
            throw new GrpcStatusException(StatusCode.NOT_FOUND, "unknown service");
          }
          return status;
        })
        .serverStreaming(WATCH, this::watch)
        .build();
  }

  private void watch(Cx cx, ServerCall call, String service, MessageWriter<ServingStatus> responses) throws Exception {
    WatchChannel.Receiver<Map<String, ServingStatus>> receiver = statuses.subscribe();
    ServingStatus last = orUnknown(receiver.borrowAndUpdate().get(service));
    responses.send(cx, last);
    while (true) {
      ServingStatus now = orUnknown(receiver.changed(cx).get(service));
      if (now != last) {
        responses.send(cx, now);
        last = now;
      }
    }
  }

  private static ServingStatus orUnknown(@Nullable ServingStatus status) {
    return status == null ? ServingStatus.SERVICE_UNKNOWN : status;
  }

  /** {@code HealthCheckRequest { string service = 1; }} as the service name. */
  static final class RequestCodec implements MessageCodec<String> {
    @Override
    public byte[] encode(String service) {
      byte[] utf8 = service.getBytes(StandardCharsets.UTF_8);
      if (utf8.length == 0) {
        return new byte[0];
      }
      byte[] out = new byte[1 + varintSize(utf8.length) + utf8.length];
      out[0] = 0x0a;
      int at = writeVarint(out, 1, utf8.length);
      System.arraycopy(utf8, 0, out, at, utf8.length);
      return out;
    }

    @Override
    public String decode(byte[] bytes) throws IOException {
      String service = "";
      WireReader in = new WireReader(bytes);
      while (in.hasMore()) {
        long tag = in.varint();
        if ((tag >>> 3) == 1 && (tag & 7) == 2) {
          int length = in.length();
          service = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
          in.skip(length);
        } else {
          in.skipField(tag);
        }
      }
      return service;
    }
  }

  /** {@code HealthCheckResponse { ServingStatus status = 1; }} as the status. */
  static final class ResponseCodec implements MessageCodec<ServingStatus> {
    @Override
    public byte[] encode(ServingStatus status) {
      return status.ordinal() == 0 ? new byte[0] : new byte[] {0x08, (byte) status.ordinal()};
    }

    @Override
    public ServingStatus decode(byte[] bytes) throws IOException {
      ServingStatus status = ServingStatus.UNKNOWN;
      WireReader in = new WireReader(bytes);
      while (in.hasMore()) {
        long tag = in.varint();
        if ((tag >>> 3) == 1 && (tag & 7) == 0) {
          status = ServingStatus.fromNumber(in.varint());
        } else {
          in.skipField(tag);
        }
      }
      return status;
    }
  }

  /** Reads protobuf wire format: varints and the four non-group wire types, bounds checked. */
  private static final class WireReader {
    private final byte[] bytes;
    private int pos;

    WireReader(byte[] bytes) {
      this.bytes = bytes;
    }

    boolean hasMore() {
      return pos < bytes.length;
    }

    int position() {
      return pos;
    }

    long varint() throws IOException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.length) {
          throw new IOException("truncated varint");
        }
        byte b = bytes[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IOException("varint longer than 10 bytes");
    }

    int length() throws IOException {
      long length = varint();
      if (length < 0 || length > bytes.length - pos) {
        throw new IOException("length beyond the message");
      }
      return (int) length;
    }

    void skip(int n) throws IOException {
      if (n > bytes.length - pos) {
        throw new IOException("field beyond the message");
      }
      pos += n;
    }

    void skipField(long tag) throws IOException {
      if ((tag >>> 3) == 0) {
        throw new IOException("field number 0");
      }
      switch ((int) (tag & 7)) {
        case 0 -> varint();
        case 1 -> skip(8);
        case 2 -> skip(length());
        case 5 -> skip(4);
        default -> throw new IOException("unsupported wire type " + (tag & 7));
      }
    }
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7f) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static int writeVarint(byte[] out, int at, int value) {
    while ((value & ~0x7f) != 0) {
      out[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }
}
