package io.asupersync.spring.boot.security;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Guards the {@code asupersync} and {@code asupersynctrace} actuator endpoints with Spring Security. The
 * starter defines no {@code SecurityFilterChain} of its own (Spring Boot's default management security
 * backs off as soon as any chain exists, so a starter's chain would silently change yours); use this in
 * yours:
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain security(HttpSecurity http) throws Exception {
 *   return http
 *       .authorizeHttpRequests(AsupersyncEndpointSecurity.requireRole("ASUPERSYNC"))
 *       .authorizeHttpRequests(requests -> requests
 *           .requestMatchers(EndpointRequest.to("health")).permitAll()
 *           .requestMatchers(EndpointRequest.toAnyEndpoint()).authenticated()
 *           .anyRequest().permitAll())
 *       .httpBasic(Customizer.withDefaults())
 *       .build();
 * }
 * }</pre>
 *
 * <p>Rules apply in the order they are added, so add this before broader ones.
 */
public final class AsupersyncEndpointSecurity {

  private AsupersyncEndpointSecurity() {}

  /** Matches requests to the two Asupersync endpoints, whatever the actuator base path or port. */
  public static RequestMatcher endpoints() {
    return EndpointRequest.to("asupersync", "asupersynctrace");
  }

  /**
   * A rule for {@code HttpSecurity.authorizeHttpRequests}: requests to the Asupersync endpoints need
   * {@code role} (without the {@code ROLE_} prefix).
   */
  public static Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry>
      requireRole(String role) {
    return requests -> requests.requestMatchers(endpoints()).hasRole(role);
  }
}
