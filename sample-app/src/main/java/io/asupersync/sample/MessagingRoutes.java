package io.asupersync.sample;

import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.nats.NatsClient;
import io.asupersync.protocols.nats.NatsMessage;
import io.asupersync.protocols.nats.NatsSubscription;
import io.asupersync.protocols.redis.RedisClient;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis and NATS demos on the Asupersync server, served when the starter made the clients, that is when
 * {@code asupersync.redis.host} / {@code asupersync.nats.servers} are set (the NATS client connects at
 * startup, so an unreachable server stops it with a message naming the property). Otherwise one INFO line
 * says how to turn each on.
 */
@Configuration(proxyBeanMethods = false)
class MessagingRoutes {

  private static final Logger log = LoggerFactory.getLogger(MessagingRoutes.class);

  @Bean
  AsupersyncServerCustomizer messagingDemoRoutes(ObjectProvider<RedisClient> redis, ObjectProvider<NatsClient> nats) {
    return server -> {
      RedisClient redisClient = redis.getIfAvailable();
      if (redisClient != null) {
        // INCR: one round trip, bounded by the request's budget.
        server.get("/redis/visits", (cx, request) ->
            HttpResponse.ok("visits: " + redisClient.incr(cx, "asupersync-sample:visits")));
      } else {
        log.info("Redis demo off: start redis-server and run with --asupersync.redis.host=127.0.0.1 to serve GET /redis/visits");
      }
      NatsClient natsClient = nats.getIfAvailable();
      if (natsClient != null) {
        // Subscribe, publish, receive our own message: the subscription is closed however the request ends.
        server.get("/nats/roundtrip", (cx, request) -> {
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
        });
      } else {
        log.info("NATS demo off: start nats-server and run with --asupersync.nats.servers=nats://127.0.0.1:4222 to serve GET /nats/roundtrip");
      }
    };
  }
}
