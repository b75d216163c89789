package io.asupersync.protocols.nats;

import io.asupersync.Cx;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.protocols.nats.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * JetStream over a {@link NatsClient}: publish with a stored acknowledgement and deduplication,
 * pull-consumer fetch where each message is an ack obligation, and the stream and consumer
 * management calls of the {@code $JS.API} JSON API. Obtain it from {@link NatsClient#jetStream()}.
 *
 * <p><b>At least once, deduplicated.</b> A publish whose {@link PubAck} arrived is stored. A publish
 * that was cancelled, timed out or lost its connection may or may not be stored: publish it again
 * with the same message id, and the stream stores it at most once within its duplicate window.
 *
 * <p><b>Fetch and cancellation.</b> Messages that {@link #fetch} received but did not hand over (it
 * was cancelled or failed) are negative-acknowledged at once, and so are messages that arrive for a
 * fetch that has ended, so the server redelivers them without waiting for the ack wait.
 */
public final class JetStream {

  private static final String API = "$JS.API.";
  /** How long past its expiry a fetch waits for the server's end-of-batch status before it stops by itself. */
  private static final Duration FETCH_GRACE = Duration.ofMillis(500);

  private final Engine engine;
  private final Duration timeout;

  JetStream(Engine engine, Duration timeout) {
    this.engine = engine;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Publishes without a message id (no deduplication); see {@link #publish(Cx, NatsMessage)}. */
  public PubAck publish(Cx cx, String subject, byte[] data) throws NatsException {
    return publish(cx, new NatsMessage(subject, null, NatsHeaders.empty(), data));
  }

  /** Publishes with {@code Nats-Msg-Id: msgId}, so a retry with the same id is stored at most once. */
  public PubAck publish(Cx cx, String subject, String msgId, byte[] data) throws NatsException {
    return publish(cx, new NatsMessage(subject, null, NatsHeaders.of("Nats-Msg-Id", msgId), data));
  }

  /**
   * Publishes {@code message} (its headers included) and waits for the stream's acknowledgement.
   *
   * @throws NatsNoRespondersException if no stream captures the subject
   * @throws JetStreamApiException if the stream refused the message
   * @throws NatsException {@code TIMEOUT} or {@code OUTCOME_UNKNOWN}: it may be stored; retry with
   *     the same message id
   */
  public PubAck publish(Cx cx, NatsMessage message) throws NatsException {
    return engine.telemetry.traced(cx, "js.publish", () -> {
      NatsMessage reply = engine.request(cx, "js.publish", message.subject(), message.headers(), message.data(), timeout);
      Map<String, Object> ack = answer(reply);
      String stream = Json.string(ack, "stream");
      long seq = Json.number(ack, "seq", -1);
      if (stream == null || seq < 0) {
        throw malformed("publish acknowledgement");
      }
      return new PubAck(stream, seq, Json.bool(ack, "duplicate", false));
    });
  }

  /** Creates a stream (or confirms an identical one exists). */
  public StreamInfo createStream(Cx cx, StreamConfig config) throws NatsException {
    Json.Writer body = new Json.Writer()
        .put("name", config.name())
        .put("subjects", config.subjects())
        .put("retention", "limits")
        .put("storage", config.memory() ? "memory" : "file")
        .put("discard", "old")
        .put("num_replicas", 1)
        .put("duplicate_window", config.duplicateWindow().toNanos());
    return streamInfo(api(cx, "js.stream.create", "STREAM.CREATE." + config.name(), body));
  }

  public StreamInfo streamInfo(Cx cx, String stream) throws NatsException {
    checkName(stream, "stream name");
    return streamInfo(api(cx, "js.stream.info", "STREAM.INFO." + stream, null));
  }

  public void deleteStream(Cx cx, String stream) throws NatsException {
    checkName(stream, "stream name");
    api(cx, "js.stream.delete", "STREAM.DELETE." + stream, null);
  }

  /** Creates a durable pull consumer on {@code stream} (or confirms an identical one exists). */
  public void createConsumer(Cx cx, String stream, ConsumerConfig config) throws NatsException {
    checkName(stream, "stream name");
    Json.Writer consumer = new Json.Writer()
        .put("durable_name", config.durableName())
        .put("deliver_policy", "all")
        .put("ack_policy", "explicit")
        .put("ack_wait", config.ackWait().toNanos())
        .put("max_deliver", config.maxDeliver())
        .put("max_ack_pending", config.maxAckPending())
        .put("replay_policy", "instant")
        .put("filter_subject", config.filterSubject());
    Json.Writer body = new Json.Writer().put("stream_name", stream).put("config", consumer);
    api(cx, "js.consumer.create", "CONSUMER.DURABLE.CREATE." + stream + "." + config.durableName(), body);
  }

  public void deleteConsumer(Cx cx, String stream, String consumer) throws NatsException {
    checkName(stream, "stream name");
    checkName(consumer, "consumer name");
    api(cx, "js.consumer.delete", "CONSUMER.DELETE." + stream + "." + consumer, null);
  }

  /**
   * Fetches up to {@code batch} messages from a pull consumer, waiting at most {@code expires} for
   * the batch to fill ({@link Duration#ZERO}: only what is available now). Each returned message
   * holds an {@link io.asupersync.ObligationKind#ACK} obligation of the calling task.
   *
   * @return the messages, possibly none (also when the consumer does not exist: the server does
   *     not answer a pull request for a missing consumer)
   * @throws NatsNoRespondersException if JetStream is not enabled
   * @throws NatsException {@code OUTCOME_UNKNOWN} if the connection was lost before any message
   *     arrived
   * @throws io.asupersync.CancelledException if the caller is cancelled; every message received so
   *     far is nak'ed (its obligation aborted), none is lost
   * @throws IllegalArgumentException if {@code batch} is not within 1 and the subscription capacity
   */
  public List<JetStreamMessage> fetch(Cx cx, String stream, String consumer, int batch, Duration expires) throws NatsException {
    checkName(stream, "stream name");
    checkName(consumer, "consumer name");
    if (batch < 1 || batch > engine.settings.limits.subscriptionCapacity()) {
      throw new IllegalArgumentException("batch must be within 1 and " + engine.settings.limits.subscriptionCapacity() + ", was " + batch);
    }
    return engine.telemetry.traced(cx, "js.fetch", () -> {
      FetchInbox sink = new FetchInbox(engine, batch + 8);
      String inbox = engine.uniqueInbox();
      long sid = engine.subscribeTransient(cx, inbox, sink);
      List<JetStreamMessage> got = new ArrayList<>(batch);
      boolean handedOver = false;
      try {
        Json.Writer body = new Json.Writer().put("batch", batch);
        if (expires.isZero()) {
          body.put("no_wait", true);
        } else {
          body.put("expires", expires.toNanos());
        }
        engine.telemetry.requests.increment();
        engine.publish(cx, API + "CONSUMER.MSG.NEXT." + stream + "." + consumer, inbox, NatsHeaders.empty(), utf8(body.toJson()), false);
        Instant deadline = cx.now().plus(expires).plus(FETCH_GRACE);
        while (got.size() < batch) {
          Duration left = Duration.between(cx.now(), deadline);
          if (left.isNegative() || left.isZero()) {
            break;
          }
          NatsMessage m;
          try {
            m = sink.queue.recv(cx, left);
          } catch (ChannelClosedException e) {
            if (got.isEmpty()) {
              throw sink.failure();
            }
            break;
          }
          if (m == null) {
            break;
          }
          if (m.isStatus()) {
            int status = m.headers().status();
            if (status == 100) {
              continue; // heartbeat
            }
            if (status == 503) {
              engine.telemetry.noResponders.increment();
              throw new NatsNoRespondersException("js.fetch");
            }
            break; // 404 no messages, 408 request expired, 409 consumer changed: the batch ends here
          }
          try {
            got.add(JetStreamMessage.reserve(cx, engine, m));
          } catch (IllegalArgumentException notJetStream) {
            engine.telemetry.lateReplies.increment();
          }
        }
        handedOver = true;
        return List.copyOf(got);
      } finally {
        engine.unsubscribe(sid);
        sink.queue.close();
        try {
          for (NatsMessage m; (m = sink.queue.tryRecv()) != null; ) {
            engine.nakOrphan(m);
          }
        } catch (ChannelClosedException drained) {
          // nothing left
        }
        if (!handedOver) {
          for (JetStreamMessage m : got) {
            m.abandon();
          }
        }
      }
    });
  }

  private Map<String, Object> api(Cx cx, String operation, String subject, Json.@Nullable Writer body) throws NatsException {
    return engine.telemetry.traced(cx, operation, () -> answer(engine.request(
        cx, operation, API + subject, NatsHeaders.empty(), body == null ? new byte[0] : utf8(body.toJson()), timeout)));
  }

  /** The JSON document of an API reply; an error document becomes a {@link JetStreamApiException}. */
  private static Map<String, Object> answer(NatsMessage reply) throws NatsException {
    Map<String, Object> doc;
    try {
      doc = Json.parseObject(new String(reply.data(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw malformed("API reply");
    }
    Map<String, Object> error = Json.object(doc, "error");
    if (error != null) {
      String description = Json.string(error, "description");
      throw new JetStreamApiException(
          (int) Json.number(error, "code", 0), (int) Json.number(error, "err_code", 0), description == null ? "" : description);
    }
    return doc;
  }

  private static StreamInfo streamInfo(Map<String, Object> doc) throws NatsException {
    Map<String, Object> config = Json.object(doc, "config");
    Map<String, Object> state = Json.object(doc, "state");
    String name = config == null ? null : Json.string(config, "name");
    if (name == null || state == null) {
      throw malformed("stream info");
    }
    return new StreamInfo(name, Json.number(state, "messages", 0), Json.number(state, "bytes", 0),
        Json.number(state, "first_seq", 0), Json.number(state, "last_seq", 0));
  }

  private static NatsException malformed(String what) {
    return new NatsException(NatsException.Reason.SERVER_ERROR, "malformed JetStream " + what);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A stream or consumer name becomes a subject token: it must be one. */
  static String checkName(String name, String what) {
    Objects.requireNonNull(name, what);
    Encoder.checkToken(name, what);
    if (name.indexOf('.') >= 0 || name.indexOf('*') >= 0 || name.indexOf('>') >= 0) {
      throw new IllegalArgumentException(what + " must not hold '.', '*' or '>'");
    }
    return name;
  }

  /** The inbox of one fetch: a bounded queue the event loop fills; overflow and stragglers are nak'ed. */
  private static final class FetchInbox implements InboxSink {
    final MpscChannel<NatsMessage> queue;
    private final Engine engine;
    private volatile @Nullable NatsException failure;

    FetchInbox(Engine engine, int capacity) {
      this.engine = engine;
      this.queue = MpscChannel.bounded(capacity);
    }

    @Override
    public void deliver(NatsMessage message) {
      boolean queued;
      try {
        queued = queue.trySend(message);
      } catch (ChannelClosedException e) {
        queued = false;
      }
      if (!queued) {
        engine.nakOrphan(message);
      }
    }

    @Override
    public void fail(NatsException error) {
      failure = error;
      queue.close();
    }

    NatsException failure() {
      NatsException f = failure;
      return f != null ? f : new NatsException(NatsException.Reason.CLOSED, "fetch inbox closed");
    }
  }
}
