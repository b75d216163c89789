package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

@ExtendWith(OutputCaptureExtension.class)
class InvalidAsupersyncPropertyFailureAnalyzerTests {

  @Test
  void startupFailureReportNamesThePropertyItsOriginTheReasonAndTheFix(CapturedOutput output) {
    SpringApplication application = new SpringApplication(MinimalApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);

    assertThatThrownBy(() -> application.run("--spring.config.name=failure-analyzer-test")).isNotNull();

    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains(
            "Invalid value '-1MB' for property 'asupersync.server.limits.http1.max-body-size' "
                + "(from class path resource [failure-analyzer-test.properties] - 1:46): must be a positive size.")
        .contains("Use a value such as 8KB, 64KB or 16MB.");
  }

  @Test
  void missingValueIsReportedAsMissing() {
    InvalidAsupersyncPropertyException missing =
        new InvalidAsupersyncPropertyException(
            "asupersync.server.ssl.bundle", null, "a TLS port (9443) is set but no SSL bundle names the certificate", "Set it.");

    FailureAnalysis analysis =
        new InvalidAsupersyncPropertyFailureAnalyzer(null).analyze(new IllegalStateException("wrapped", missing));

    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription())
        .isEqualTo("Property 'asupersync.server.ssl.bundle' is missing: a TLS port (9443) is set but no SSL bundle "
            + "names the certificate.");
    assertThat(analysis.getAction()).isEqualTo("Set it.");
  }

  @Test
  void credentialIsNeverEchoed() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources()
        .addFirst(new MapPropertySource("test", Map.of("asupersync.nats.token", "s3cret", "asupersync.nats.user", "u")));
    Throwable failure =
        catchThrowable(() -> Binding.bind(
            "asupersync.nats",
            AsupersyncNatsProperties.class,
            "asupersync.nats.token=s3cret",
            "asupersync.nats.user=u",
            "asupersync.nats.password=p"));

    FailureAnalysis analysis = new InvalidAsupersyncPropertyFailureAnalyzer(environment).analyze(failure);

    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription())
        .startsWith("Invalid value '******' for property 'asupersync.nats.token'")
        .doesNotContain("s3cret");
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(AsupersyncAutoConfiguration.class)
  static class MinimalApplication {}
}
