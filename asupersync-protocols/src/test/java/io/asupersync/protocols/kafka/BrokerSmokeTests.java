package io.asupersync.protocols.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerSmokeTests {
  @Test
  void brokerStarts() {
    long t0 = System.nanoTime();
    KafkaTestBroker b = KafkaTestBroker.shared();
    String topic = b.newTopic("smoke", 2);
    System.out.println("started in ms " + (System.nanoTime() - t0) / 1_000_000 + " " + topic);
    assertThat(topic).startsWith("smoke");
  }
}
