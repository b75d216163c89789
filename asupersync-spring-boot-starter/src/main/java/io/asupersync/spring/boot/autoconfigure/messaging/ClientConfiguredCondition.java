package io.asupersync.spring.boot.autoconfigure.messaging;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when one of the given properties has a value. Binding (rather than a plain property look-up)
 * sees lists set either way: {@code servers=a,b} and {@code servers[0]=a}.
 */
abstract class ClientConfiguredCondition extends SpringBootCondition {

  private final String client;
  private final List<String> properties;

  ClientConfiguredCondition(String client, String... properties) {
    this.client = client;
    this.properties = List.of(properties);
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Binder binder = Binder.get(context.getEnvironment());
    for (String property : properties) {
      if (binder.bind(property, Bindable.listOf(String.class)).map(values -> !values.isEmpty()).orElse(false)) {
        return ConditionOutcome.match(client + " client configured by " + property);
      }
    }
    return ConditionOutcome.noMatch(client + " client not configured: none of " + properties + " is set");
  }

  static final class Redis extends ClientConfiguredCondition {
    Redis() {
      super("Redis", "asupersync.redis.url", "asupersync.redis.host");
    }
  }

  static final class Nats extends ClientConfiguredCondition {
    Nats() {
      super("NATS", "asupersync.nats.servers");
    }
  }

  static final class Kafka extends ClientConfiguredCondition {
    Kafka() {
      super("Kafka", "asupersync.kafka.bootstrap-servers");
    }
  }
}
