package io.asupersync.spring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import io.asupersync.spring.boot.server.AuthenticationHttpFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * {@code Authorization: Bearer} on the starter's server, through the application's {@link JwtDecoder}
 * (signature, expiry) or its {@link AuthenticationManager}, over a real socket.
 */
class BearerAuthenticationTests {

  private static final SecretKey KEY = hmacKey("the-key-the-application-trusts-32bytes!");
  private static final SecretKey OTHER_KEY = hmacKey("a-key-nobody-trusts-here-32-bytes-long!");

  private static HttpClient http;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncServerAutoConfiguration.class))
          .withPropertyValues(
              "asupersync.server.enabled=true",
              "asupersync.server.cleartext-port=0",
              "asupersync.runtime.shutdown-timeout=2s")
          .withUserConfiguration(WhoAmI.class);

  @BeforeAll
  static void client() {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void closeClient() {
    http.close();
  }

  @Configuration(proxyBeanMethods = false)
  static class WhoAmI {
    @Bean
    AsupersyncServerCustomizer whoAmI() {
      // What the handler sees: the filter's attribute, and the security context on its own thread.
      return server -> server.get("/whoami", (cx, request) -> HttpResponse.ok(
          AuthenticationHttpFilter.authentication(request).map(a -> a.getName() + " " + a.getAuthorities().stream().map(g -> g.getAuthority()).sorted().toList()).orElse("anonymous")
              + " | " + (SecurityContextHolder.getContext().getAuthentication() instanceof Authentication a ? a.getName() : "none")));
    }
  }

  private static SecretKey hmacKey(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  private static String jwt(SecretKey key, String subject, Instant expiresAt) {
    JwtClaimsSet claims = JwtClaimsSet.builder()
        .subject(subject)
        .issuedAt(expiresAt.minus(Duration.ofHours(2)))
        .expiresAt(expiresAt)
        .claim("scope", "orders.read")
        .build();
    return new NimbusJwtEncoder(new ImmutableSecret<>(key))
        .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
        .getTokenValue();
  }

  private static java.net.http.HttpResponse<String> whoami(AssertableApplicationContext context, String authorization)
      throws Exception {
    int port = context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.CLEARTEXT_PORT_PROPERTY, Integer.class);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whoami"))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private static void assertBearerChallenge(java.net.http.HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(challenge ->
        assertThat(challenge).startsWith("Bearer ").contains("error=\"invalid_token\""));
  }

  @Test
  void validJwtMakesItsSubjectThePrincipalTheHandlerSees() {
    contextRunner.withBean(JwtDecoder.class, () -> NimbusJwtDecoder.withSecretKey(KEY).build()).run(context -> {
      var response = whoami(context, "Bearer " + jwt(KEY, "alice", Instant.now().plus(Duration.ofHours(1))));

      assertThat(response.statusCode()).isEqualTo(200);
      // Spring Security 7 adds a FACTOR_BEARER authority beside the token's scopes.
      assertThat(response.body()).startsWith("alice [").contains("SCOPE_orders.read").endsWith("] | alice");
    });
  }

  @Test
  void jwtSignedWithAnotherKeyIsAnsweredWithABearerChallenge() {
    contextRunner.withBean(JwtDecoder.class, () -> NimbusJwtDecoder.withSecretKey(KEY).build()).run(context ->
        assertBearerChallenge(whoami(context, "Bearer " + jwt(OTHER_KEY, "mallory", Instant.now().plus(Duration.ofHours(1))))));
  }

  @Test
  void expiredOrMalformedTokensAreAnsweredWithABearerChallenge() {
    contextRunner.withBean(JwtDecoder.class, () -> NimbusJwtDecoder.withSecretKey(KEY).build()).run(context -> {
      assertBearerChallenge(whoami(context, "Bearer " + jwt(KEY, "alice", Instant.now().minus(Duration.ofHours(1)))));
      assertBearerChallenge(whoami(context, "Bearer not.a.jwt"));
      assertBearerChallenge(whoami(context, "Bearer "));
      assertThat(whoami(context, null).body()).isEqualTo("anonymous | none");
    });
  }

  @Test
  void withoutAJwtDecoderTheAuthenticationManagerChecksBearerTokens() {
    AuthenticationManager manager = authentication -> {
      if (authentication instanceof BearerTokenAuthenticationToken bearer && bearer.getToken().equals("opaque-good")) {
        TestingAuthenticationToken token = new TestingAuthenticationToken("service-a", null, List.of());
        token.setAuthenticated(true);
        return token;
      }
      throw new BadCredentialsException("unknown token");
    };
    contextRunner.withBean(AuthenticationManager.class, () -> manager).run(context -> {
      assertThat(whoami(context, "Bearer opaque-good").body()).isEqualTo("service-a [] | service-a");
      assertBearerChallenge(whoami(context, "Bearer opaque-bad"));
    });
  }
}
