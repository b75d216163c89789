package io.asupersync.sample;

import io.asupersync.Budget;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.HttpHandler;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.nats.NatsClient;
import io.asupersync.protocols.nats.NatsException;
import io.asupersync.protocols.nats.NatsMessage;
import io.asupersync.protocols.nats.NatsSubscription;
import io.asupersync.protocols.redis.RedisClient;
import io.asupersync.protocols.redis.RedisConnectionException;
import io.asupersync.protocols.redis.RedisOutcomeUnknownException;
import io.asupersync.protocols.redis.RespValue;
import io.asupersync.spring.boot.autoconfigure.AsupersyncNatsProperties;
import io.asupersync.spring.boot.autoconfigure.AsupersyncRedisProperties;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis and NATS demos on the Asupersync server, each served when its server answers at startup.
 * application.yml points both clients at localhost; Redis is probed with a PING, NATS by the starter's
 * connect ({@code asupersync.nats.fail-fast=false}, so an absent NATS leaves no client instead of
 * stopping the sample). A server that does not answer gets one log line saying what was tried and how
 * to turn the demo on, and its route answers 503 (not 404: the gRPC routes' {@code POST /{service}/{method}}
 * would make it 405). A server that goes away later makes its route answer 503 too, logged per request.
 */
@Configuration(proxyBeanMethods = false)
class MessagingRoutes {

  private static final Logger log = LoggerFactory.getLogger(MessagingRoutes.class);
  private static final Duration PROBE_BUDGET = Duration.ofSeconds(2);
  /** NATS failures that mean the server is away, not that the request was wrong. */
  private static final Set<NatsException.Reason> NATS_AWAY = Set.of(
      NatsException.Reason.NOT_CONNECTED, NatsException.Reason.CLOSED, NatsException.Reason.CONNECT_FAILED,
      NatsException.Reason.TIMEOUT, NatsException.Reason.OUTCOME_UNKNOWN);

  @Bean
  AsupersyncServerCustomizer messagingDemoRoutes(Runtime runtime,
      ObjectProvider<RedisClient> redis, AsupersyncRedisProperties redisProperties,
      ObjectProvider<NatsClient> nats, AsupersyncNatsProperties natsProperties) {
    return server -> {
      RedisClient redisClient = redis.getIfAvailable();
      String redisOff = redisClient == null
          ? "asupersync.redis.host and asupersync.redis.url are not set"
          : probe(runtime, redisClient, redisTarget(redisProperties));
      if (redisOff == null && redisClient != null) {
        // INCR: one round trip, bounded by the request's budget.
        server.get("/redis/visits", (cx, request) -> {
          try {
            return HttpResponse.ok("visits: " + redisClient.incr(cx, "asupersync-sample:visits"));
          } catch (RedisConnectionException | RedisOutcomeUnknownException ex) {
            return unavailable("Redis", ex);
          }
        });
      } else {
        log.info("Redis demo off: {}. Start redis-server (redis-server --port 6379) or point asupersync.redis.host/port "
            + "at one, then restart to serve GET /redis/visits.", redisOff);
        server.get("/redis/visits", demoOff("Redis"));
      }
      NatsClient natsClient = nats.getIfAvailable();
      if (natsClient != null) {
        server.get("/nats/roundtrip", (cx, request) -> {
          try {
            return natsRoundTrip(cx, natsClient);
          } catch (NatsException ex) {
            if (NATS_AWAY.contains(ex.reason())) {
              return unavailable("NATS", ex);
            }
            throw ex;
          }
        });
      } else {
        if (!natsProperties.isConfigured()) {
          log.info("NATS demo off: asupersync.nats.servers is empty. Start nats-server (nats-server -a 127.0.0.1 -p 4222) "
              + "and set asupersync.nats.servers=nats://127.0.0.1:4222 to serve GET /nats/roundtrip.");
        }
        // Configured but unreachable: the starter has logged its one warning (servers, reason, what to do).
        server.get("/nats/roundtrip", demoOff("NATS"));
      }
    };
  }

  /** Subscribe, publish, receive our own message: the subscription is closed however the request ends. */
  private static HttpResponse natsRoundTrip(Cx cx, NatsClient natsClient) throws NatsException {
    String subject = "asupersync-sample.roundtrip." + Long.toUnsignedString(cx.random().nextLong(), 36);
    NatsSubscription subscription = natsClient.subscribe(cx, subject);
    try {
      natsClient.publish(cx, subject, "hello over NATS".getBytes(StandardCharsets.UTF_8));
      NatsMessage message = subscription.next(cx, Duration.ofSeconds(2));
      return message == null
          ? HttpResponse.status(504).body("no message within 2s").build()
          : HttpResponse.ok(new String(message.data(), StandardCharsets.UTF_8));
    } finally {
      subscription.close();
    }
  }

  /** The route of a demo whose server did not answer at startup; the reason was logged once then. */
  private static HttpHandler demoOff(String server) {
    return (cx, request) -> HttpResponse.text(503, server + " demo is off: no server at startup (see the log)\n");
  }

  private static HttpResponse unavailable(String server, Exception ex) {
    log.warn("{} demo: answering 503, the server is unavailable: {}", server, ex.getMessage());
    return HttpResponse.text(503, server + " is unavailable\n");
  }

  /** Why the server at {@code target} is not usable, or null when it answered PING within the probe budget. */
  private static @Nullable String probe(Runtime runtime, RedisClient client, String target) {
    Outcome<@Nullable String> probed = runtime.run(cx -> switch (
        cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), PROBE_BUDGET), probe -> client.command(probe, "PING"))) {
      case Outcome.Ok<RespValue> ok -> null;
      case Outcome.Err<RespValue> err -> "no answer to PING from " + target + " (" + err.error().getMessage() + ")";
      case Outcome.Cancelled<RespValue> cancelled ->
          "no answer to PING from " + target + " within " + PROBE_BUDGET.toSeconds() + "s";
      case Outcome.Panicked<RespValue> panicked -> "PING to " + target + " failed (" + panicked.cause() + ")";
    });
    return probed instanceof Outcome.Ok<@Nullable String> ok ? ok.value() : "PING to " + target + " failed (" + probed + ")";
  }

  /** host:port of the configured server; never the URL itself, which may carry a password. */
  private static String redisTarget(AsupersyncRedisProperties properties) {
    URI url = properties.url();
    return url != null
        ? url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort())
        : properties.host() + ":" + properties.port();
  }
}
