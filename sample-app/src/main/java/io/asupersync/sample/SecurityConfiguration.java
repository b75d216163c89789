package io.asupersync.sample;

import io.asupersync.spring.boot.security.AsupersyncEndpointSecurity;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's security: the Asupersync endpoints need role ASUPERSYNC, every other actuator endpoint but
 * health needs a login (HTTP Basic, user and password from {@code spring.security.user.*} in
 * application.yml), the application's own endpoints are open.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    return http
        .authorizeHttpRequests(AsupersyncEndpointSecurity.requireRole("ASUPERSYNC"))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers(EndpointRequest.toAnyEndpoint()).authenticated()
            .anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .build();
  }
}
