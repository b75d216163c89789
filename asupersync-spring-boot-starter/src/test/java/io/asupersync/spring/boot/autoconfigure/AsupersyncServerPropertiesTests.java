package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.Binding.bind;
import static io.asupersync.spring.boot.autoconfigure.Binding.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.spring.boot.autoconfigure.AsupersyncServerProperties.ClientAuth;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AsupersyncServerPropertiesTests {

  private static final String PREFIX = "asupersync.server";

  @Test
  void defaultsLeaveTheServerOffOnPort9080WithoutTls() {
    AsupersyncServerProperties server = bind(PREFIX, AsupersyncServerProperties.class);
    assertThat(server.enabled()).isFalse();
    assertThat(server.cleartextPort()).isEqualTo(9080);
    assertThat(server.tlsPort()).isNull();
    assertThat(server.ssl().bundle()).isNull();
    assertThat(server.ssl().clientAuth()).isEqualTo(ClientAuth.NONE);
    assertThat(server.defaultTimeout()).isNull();
    assertThat(server.maxClientTimeout()).isNull();
  }

  @Test
  void defaultLimitsAreTheProtocolLayersDefaults() {
    AsupersyncServerProperties.Limits limits = bind(PREFIX, AsupersyncServerProperties.class).limits();
    assertThat(limits.http1().toLimits()).isEqualTo(Http1Limits.defaults());
    assertThat(limits.http2().toLimits()).isEqualTo(Http2Limits.defaults());
  }

  @Test
  void limitsBindSizesDurationsAndCounts() {
    AsupersyncServerProperties.Limits limits =
        bind(
                PREFIX,
                AsupersyncServerProperties.class,
                "asupersync.server.limits.http1.max-body-size=2MB",
                "asupersync.server.limits.http1.header-read-timeout=3s",
                "asupersync.server.limits.http1.max-headers=64",
                "asupersync.server.limits.http1.require-host=false",
                "asupersync.server.limits.http2.max-frame-size=32KB",
                "asupersync.server.limits.http2.max-header-list-size=16KB",
                "asupersync.server.limits.http2.max-concurrent-streams=10")
            .limits();
    Http1Limits http1 = limits.http1().toLimits();
    assertThat(http1.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(http1.headerReadTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(http1.maxHeaders()).isEqualTo(64);
    assertThat(http1.requireHost()).isFalse();
    Http2Limits http2 = limits.http2().toLimits();
    assertThat(http2.maxFrameSize()).isEqualTo(32 * 1024);
    assertThat(http2.maxConcurrentStreams()).isEqualTo(10);
    // the fragment limit follows the header list unless set: 4 x 16KB
    assertThat(http2.maxHeaderFragmentBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void tlsListenerBindsWithItsBundleAndClientAuth() {
    AsupersyncServerProperties server =
        bind(
            PREFIX,
            AsupersyncServerProperties.class,
            "asupersync.server.tls-port=9443",
            "asupersync.server.ssl.bundle=server",
            "asupersync.server.ssl.client-auth=want");
    assertThat(server.tlsPort()).isEqualTo(9443);
    assertThat(server.ssl().bundle()).isEqualTo("server");
    assertThat(server.ssl().clientAuth()).isEqualTo(ClientAuth.WANT);
  }

  @Test
  void tlsPortWithoutABundleIsRefusedNamingTheMissingProperty() {
    InvalidAsupersyncPropertyException ex =
        failure(PREFIX, AsupersyncServerProperties.class, "asupersync.server.tls-port=9443");
    assertThat(ex.property()).isEqualTo("asupersync.server.ssl.bundle");
    assertThat(ex.value()).isNull();
    assertThat(ex.reason()).contains("TLS port (9443)");
    assertThat(ex.action()).contains("spring.ssl.bundle.pem.<name>");
  }

  @Test
  void negativeSizeIsRefused() {
    InvalidAsupersyncPropertyException ex =
        failure(PREFIX, AsupersyncServerProperties.class, "asupersync.server.limits.http1.max-body-size=-1MB");
    assertThat(ex.property()).isEqualTo("asupersync.server.limits.http1.max-body-size");
    assertThat(ex.reason()).isEqualTo("must be a positive size");
  }

  @Test
  void sizeBeyondAnIntIsRefused() {
    InvalidAsupersyncPropertyException ex =
        failure(PREFIX, AsupersyncServerProperties.class, "asupersync.server.limits.http1.max-header-size=3GB");
    assertThat(ex.property()).isEqualTo("asupersync.server.limits.http1.max-header-size");
  }

  @Test
  void http2FrameSizeOutsideTheProtocolRangeIsRefused() {
    InvalidAsupersyncPropertyException ex =
        failure(PREFIX, AsupersyncServerProperties.class, "asupersync.server.limits.http2.max-frame-size=1KB");
    assertThat(ex.property()).isEqualTo("asupersync.server.limits.http2.max-frame-size");
    assertThat(ex.reason()).contains("16384").contains("16777215");
  }

  @Test
  void zeroDurationIsRefused() {
    InvalidAsupersyncPropertyException ex =
        failure(PREFIX, AsupersyncServerProperties.class, "asupersync.server.limits.http2.reset-window=0s");
    assertThat(ex.property()).isEqualTo("asupersync.server.limits.http2.reset-window");
  }

  @Test
  void portOutsideTheTcpRangeIsRefused() {
    assertThat(failure(PREFIX, AsupersyncServerProperties.class, "asupersync.server.cleartext-port=70000").property())
        .isEqualTo("asupersync.server.cleartext-port");
    assertThat(bind(PREFIX, AsupersyncServerProperties.class, "asupersync.server.cleartext-port=-1").cleartextPort())
        .isEqualTo(-1);
  }
}
