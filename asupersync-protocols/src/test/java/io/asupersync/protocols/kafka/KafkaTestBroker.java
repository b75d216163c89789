package io.asupersync.protocols.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import io.asupersync.testsupport.TestCertificates;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;

/**
 * One real Kafka 4.4 KRaft node (broker and controller in one) inside the test JVM, bound to 127.0.0.1,
 * started on first use and shared by every Kafka test class of the run; a shutdown hook stops it and
 * deletes its log directory. Transaction timeouts are checked every 200 ms so that a test can watch the
 * coordinator abort a timed-out transaction without waiting the default 10 s.
 *
 * <p>Besides the plaintext listener it has two TLS listeners with a certificate for 127.0.0.1 (and no
 * DNS name) from {@link #certificates()}: {@link #tlsBootstrapServers()} without client authentication and
 * {@link #mtlsBootstrapServers()}, which requires a client certificate issued by the same CA.
 */
final class KafkaTestBroker {
  private static @Nullable KafkaTestBroker shared;
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private final KafkaRaftServer server;
  private final String bootstrap;
  private final String tlsBootstrap;
  private final String mtlsBootstrap;
  private final TestCertificates certificates;
  private final Admin admin;

  private KafkaTestBroker(KafkaRaftServer server, int[] ports, TestCertificates certificates) {
    this.server = server;
    this.bootstrap = "127.0.0.1:" + ports[0];
    this.tlsBootstrap = "127.0.0.1:" + ports[2];
    this.mtlsBootstrap = "127.0.0.1:" + ports[3];
    this.certificates = certificates;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  static synchronized KafkaTestBroker shared() {
    // Another process may take a picked port before the broker binds it: try again with fresh ones.
    RuntimeException failure = null;
    for (int attempt = 0; shared == null && attempt < 3; attempt++) {
      try {
        shared = start();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (shared == null) {
      throw Objects.requireNonNull(failure);
    }
    return shared;
  }

  String bootstrapServers() {
    return bootstrap;
  }

  /** The TLS listener; its certificate names 127.0.0.1 only, so dialling {@code localhost} mismatches. */
  String tlsBootstrapServers() {
    return tlsBootstrap;
  }

  /** The TLS listener that requires a client certificate issued by {@link #ca()}. */
  String mtlsBootstrapServers() {
    return mtlsBootstrap;
  }

  /** The TLS listeners' CA, server certificate and a client certificate the MTLS listener accepts. */
  TestCertificates certificates() {
    return certificates;
  }

  Admin admin() {
    return admin;
  }

  /** Creates a fresh topic with a unique name and waits until the broker serves it. */
  String newTopic(String prefix, int partitions) {
    return newTopic(prefix, partitions, Map.of());
  }

  String newTopic(String prefix, int partitions, Map<String, String> configs) {
    return createTopic(prefix + "-" + TOPICS.incrementAndGet(), partitions, configs);
  }

  /** Creates the topic {@code name} and waits until the broker serves it. */
  String createTopic(String name, int partitions) {
    return createTopic(name, partitions, Map.of());
  }

  private String createTopic(String name, int partitions, Map<String, String> configs) {
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
    Instant until = Instant.now().plusSeconds(30);
    while (!servesEveryPartition(name)) {
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("topic " + name + " has partitions without a leader after 30 s");
      }
      LockSupport.parkNanos(10_000_000);
    }
    return name;
  }

  /** Whether every partition of {@code topic} has a leader; false while the metadata is not there yet. */
  private boolean servesEveryPartition(String topic) {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (Exception e) {
      return false;
    }
  }

  private static KafkaTestBroker start() {
    try {
      Path dir = Files.createTempDirectory("asupersync-kafka");
      int[] ports = freePorts(4);
      int brokerPort = ports[0];
      int controllerPort = ports[1];
      String tls = "TLS://127.0.0.1:" + ports[2] + ",MTLS://127.0.0.1:" + ports[3];
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + tls + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + tls);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,TLS:SSL,MTLS:SSL,CONTROLLER:PLAINTEXT");
      TestCertificates certificates = tlsListeners(props);
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("log.dirs", dir.resolve("data").toString());
      props.put("num.partitions", "1");
      props.put("num.network.threads", "2");
      props.put("num.io.threads", "2");
      props.put("background.threads", "2");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200");
      props.put("auto.create.topics.enable", "false");
      Path config = dir.resolve("server.properties");
      try (var out = Files.newBufferedWriter(config)) {
        props.store(out, null);
      }
      ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
      int rc;
      try (PrintStream ps = new PrintStream(formatLog, true, StandardCharsets.UTF_8)) {
        rc = StorageTool.execute(
            new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, ps);
      }
      if (rc != 0) {
        throw new IllegalStateException("kafka-storage format failed: " + formatLog.toString(StandardCharsets.UTF_8));
      }
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
      server.startup();
      KafkaTestBroker broker = new KafkaTestBroker(server, ports, certificates);
      broker.awaitReady();
      java.lang.Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> broker.stop(dir), "kafka-test-broker-stop"));
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Key material (PEM, inline) of the TLS and MTLS listeners, from certificates naming 127.0.0.1 only. */
  private static TestCertificates tlsListeners(Properties props) throws IOException {
    TestCertificates certificates = TestCertificates.forLoopbackIp();
    for (String listener : new String[] {"tls", "mtls"}) {
      String prefix = "listener.name." + listener + ".";
      props.put(prefix + "ssl.keystore.type", "PEM");
      props.put(prefix + "ssl.keystore.certificate.chain", Files.readString(certificates.serverChainPem()));
      props.put(prefix + "ssl.keystore.key", Files.readString(certificates.serverKeyPem()));
      props.put(prefix + "ssl.truststore.type", "PEM");
      props.put(prefix + "ssl.truststore.certificates", Files.readString(certificates.caPem()));
    }
    props.put("listener.name.mtls.ssl.client.auth", "required");
    return certificates;
  }

  private void awaitReady() {
    Instant until = Instant.now().plusSeconds(120);
    while (true) {
      try {
        if (!admin.describeCluster().nodes().get().isEmpty()) {
          return;
        }
      } catch (Exception e) {
        if (Instant.now().isAfter(until)) {
          throw new IllegalStateException("Kafka test broker did not come up within 120 s", e);
        }
        LockSupport.parkNanos(50_000_000);
      }
    }
  }

  private void stop(Path dir) {
    admin.close(Duration.ofSeconds(1));
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp directory is harmless
    }
  }

  /** Distinct ephemeral ports, all held open until each was picked so that none is handed out twice. */
  private static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }
}
