package io.asupersync.spring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/** {@link AsupersyncEndpointSecurity#requireRole} in a real filter chain, served by Tomcat on 127.0.0.1. */
class AsupersyncEndpointSecurityTests {

  private static ConfigurableApplicationContext context;
  private static HttpClient client;
  private static int port;

  @BeforeAll
  static void start() {
    context = new SpringApplicationBuilder(SecuredApplication.class)
        .web(WebApplicationType.SERVLET)
        .properties("server.port=0", "server.address=127.0.0.1",
            "management.endpoints.web.exposure.include=health,asupersync,asupersynctrace")
        .run();
    port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    context.close();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class SecuredApplication {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http
          .authorizeHttpRequests(AsupersyncEndpointSecurity.requireRole("ASUPERSYNC"))
          .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("operator").password("{noop}pw").roles("ASUPERSYNC").build(),
          User.withUsername("viewer").password("{noop}pw").roles("VIEWER").build());
    }
  }

  private static int status(String path, String user) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (user != null) {
      request.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void asupersyncEndpointsNeedTheRole() throws Exception {
    for (String path : new String[] {"/actuator/asupersync", "/actuator/asupersynctrace"}) {
      assertThat(status(path, null)).as(path).isEqualTo(401);
      assertThat(status(path, "viewer")).as(path).isEqualTo(403);
      assertThat(status(path, "operator")).as(path).isEqualTo(200);
    }
  }

  @Test
  void otherEndpointsAreLeftToTheApplicationsRules() throws Exception {
    assertThat(status("/actuator/health", null)).isEqualTo(200);
  }
}
