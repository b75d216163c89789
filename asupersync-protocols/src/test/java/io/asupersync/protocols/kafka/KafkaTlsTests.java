package io.asupersync.protocols.kafka;

import static io.asupersync.protocols.kafka.KafkaTestSupport.ok;
import static io.asupersync.protocols.kafka.KafkaTestSupport.readAll;
import static io.asupersync.protocols.kafka.KafkaTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asupersync.Outcome;
import io.asupersync.protocols.kafka.KafkaClientException.Reason;
import io.asupersync.protocols.kafka.KafkaTestSupport.TracedRuntime;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.TlsProvider;
import io.asupersync.testsupport.TestCertificates;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KafkaTlsTests {
  private final KafkaTestBroker broker = KafkaTestBroker.shared();
  private final TracedRuntime traced = new TracedRuntime();

  @AfterEach
  void closeRuntime() {
    traced.close();
  }

  private static ClientTls.Builder trusting(TestCertificates certificates) {
    return ClientTls.builder().trustPem(certificates.caPem());
  }

  /** Fails fast: a TLS failure must show as itself, not as a 60 s metadata timeout. */
  private KafkaSender<String, String> sender(String bootstrap, ClientTls tls) {
    KafkaProducerConfig config = KafkaProducerConfig.of(bootstrap)
        .with(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000)
        .withTls(tls);
    return KafkaSender.create(traced.runtime, config, new StringSerializer(), new StringSerializer());
  }

  private RecordMetadata send(KafkaSender<String, String> sender, String topic, String value) {
    return ok(traced.runtime.run(cx -> sender.send(cx, new ProducerRecord<>(topic, "k", value))));
  }

  private Throwable failedSend(KafkaSender<String, String> sender, String topic) {
    Outcome<RecordMetadata> outcome = traced.runtime.run(cx -> sender.send(cx, new ProducerRecord<>(topic, "k", "v")));
    assertThat(outcome).isInstanceOf(Outcome.Err.class);
    return ((Outcome.Err<RecordMetadata>) outcome).error();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void senderAndReceiverWorkOverTlsWhenTheBrokersCaIsTrusted(TlsProvider provider) throws Exception {
    assumeTrue(provider.isAvailable(), "netty-tcnative does not load here");
    String topic = broker.newTopic("tls-" + provider.name().toLowerCase(Locale.ROOT), 1);
    ClientTls tls = trusting(broker.certificates()).provider(provider).build();
    try (KafkaSender<String, String> sender = sender(broker.tlsBootstrapServers(), tls)) {
      assertThat(send(sender, topic, "over-tls").offset()).isZero();
    }
    assertThat(values(readAll(topic, "read_committed"))).containsExactly("over-tls");

    KafkaConsumerConfig consumer = KafkaConsumerConfig.of(broker.tlsBootstrapServers(), "tls-group-" + provider)
        .with(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer")
        .withTls(tls);
    try (KafkaReceiver<String, String> receiver = KafkaReceiver.create(
        traced.runtime, consumer, List.of(topic), new StringDeserializer(), new StringDeserializer())) {
      List<String> received = ok(traced.runtime.run(cx -> {
        List<String> out = new ArrayList<>();
        while (out.isEmpty()) {
          for (KafkaDelivery<String, String> d : receiver.poll(cx, Duration.ofSeconds(1))) {
            out.add(d.record().value());
            d.commit();
          }
        }
        return out;
      }));
      assertThat(received).containsExactly("over-tls");
    }
  }

  @Test
  void brokerCertificateFromAnUntrustedCaFailsTheSendWithAuthenticationFailed() throws Exception {
    String topic = broker.newTopic("tls-untrusted", 1);
    // A CA of another name: the refusal is "no certification path", not a signature mismatch.
    Instant now = Instant.now();
    X509Bundle stranger = new CertificateBuilder().ecp256().notBefore(now.minus(1, ChronoUnit.DAYS))
        .notAfter(now.plus(1, ChronoUnit.DAYS)).subject("CN=Stranger CA").setIsCertificateAuthority(true).buildSelfSigned();
    ClientTls trustsStranger = ClientTls.builder().trustManagerFactory(stranger.toTrustManagerFactory()).build();
    try (KafkaSender<String, String> sender = sender(broker.tlsBootstrapServers(), trustsStranger)) {
      assertThat(failedSend(sender, topic))
          .isInstanceOfSatisfying(KafkaClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
          .hasMessageContaining("unable to find valid certification path");
    }
  }

  @Test
  void brokerCertificateNotNamingTheHostDialledFailsUnlessVerificationIsOff() throws Exception {
    String topic = broker.newTopic("tls-hostname", 1);
    // The certificate names 127.0.0.1 only; the same listener dialled as localhost must be refused.
    String byName = "localhost:" + broker.tlsBootstrapServers().substring(broker.tlsBootstrapServers().indexOf(':') + 1);
    try (KafkaSender<String, String> sender = sender(byName, trusting(broker.certificates()).build())) {
      assertThat(failedSend(sender, topic))
          .isInstanceOfSatisfying(KafkaClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
          .hasMessageContaining("No name matching localhost");
    }
    try (KafkaSender<String, String> sender = sender(byName, trusting(broker.certificates()).hostnameVerification(false).build())) {
      assertThat(send(sender, topic, "any-host").offset()).isZero();
    }
  }

  @Test
  void brokerThatRequiresAClientCertificateAcceptsTheClientTlsKeyAndRefusesNone() throws Exception {
    String topic = broker.newTopic("mtls", 1);
    TestCertificates certificates = broker.certificates();
    ClientTls withKey = trusting(certificates).keyPem(certificates.clientChainPem(), certificates.clientKeyPem()).build();
    try (KafkaSender<String, String> sender = sender(broker.mtlsBootstrapServers(), withKey)) {
      assertThat(send(sender, topic, "with-client-cert").offset()).isZero();
    }
    try (KafkaSender<String, String> sender = sender(broker.mtlsBootstrapServers(), trusting(broker.certificates()).build())) {
      assertThat(failedSend(sender, topic))
          .isInstanceOfSatisfying(KafkaClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
          .hasMessageContaining("CERTIFICATE_REQUIRED");
    }
  }

  @Test
  void withTlsSetsTheSecurityProtocolAndRefusesFileBasedKeyMaterial() throws Exception {
    ClientTls tls = trusting(broker.certificates()).build();
    assertThat(KafkaProducerConfig.of("127.0.0.1:1").withTls(tls).producerProperties())
        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
    assertThat(KafkaProducerConfig.of("127.0.0.1:1")
            .with(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT")
            .withTls(tls)
            .properties())
        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    assertThatThrownBy(() -> KafkaConsumerConfig.of("127.0.0.1:1", "g").with("ssl.truststore.location", "/tmp/x").withTls(tls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl.truststore.location");
  }
}
