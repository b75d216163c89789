package io.asupersync.spring.boot.autoconfigure.server;

import io.asupersync.spring.boot.server.AuthenticationHttpFilter;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.util.ClassUtils;

/**
 * The authentication hook of the Asupersync server, when Spring Security is on the classpath: Basic
 * credentials through the application's {@link AuthenticationManager} (or one over its {@link
 * UserDetailsService}), Bearer tokens through its {@code JwtDecoder} (or manager) when Spring Security's
 * OAuth2 resource server is on the classpath, and verified mTLS client certificates.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({AuthenticationManager.class, PreAuthenticatedAuthenticationToken.class})
final class AsupersyncServerSecurityConfiguration {

  private static final boolean BEARER_PRESENT =
      ClassUtils.isPresent(
              "org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken",
              AsupersyncServerSecurityConfiguration.class.getClassLoader())
          && ClassUtils.isPresent(
              "org.springframework.security.oauth2.jwt.JwtDecoder",
              AsupersyncServerSecurityConfiguration.class.getClassLoader());

  @Bean
  @ConditionalOnMissingBean
  AuthenticationHttpFilter asupersyncAuthenticationHttpFilter(
      ObjectProvider<AuthenticationManager> managers,
      ObjectProvider<UserDetailsService> users,
      ObjectProvider<PasswordEncoder> passwordEncoder,
      BeanFactory beanFactory) {
    AuthenticationManager manager = managers.getIfUnique();
    AuthenticationManager basic = manager != null ? manager : fromUsers(users.getIfUnique(), passwordEncoder);
    Function<String, Authentication> bearer = BEARER_PRESENT ? Bearer.authenticator(beanFactory, manager) : null;
    return new AuthenticationHttpFilter(basic, bearer);
  }

  private static @Nullable AuthenticationManager fromUsers(
      @Nullable UserDetailsService users, ObjectProvider<PasswordEncoder> passwordEncoder) {
    if (users == null) {
      return null;
    }
    DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
    passwordEncoder.ifUnique(provider::setPasswordEncoder);
    return new ProviderManager(provider);
  }

  /** Loaded only when the OAuth2 resource server is on the classpath. */
  private static final class Bearer {

    static @Nullable Function<String, Authentication> authenticator(
        BeanFactory beanFactory, @Nullable AuthenticationManager manager) {
      JwtDecoder decoder = beanFactory.getBeanProvider(JwtDecoder.class).getIfUnique();
      AuthenticationManager checker =
          decoder != null ? new ProviderManager(new JwtAuthenticationProvider(decoder)) : manager;
      if (checker == null) {
        return null;
      }
      return token -> checker.authenticate(new BearerTokenAuthenticationToken(token));
    }
  }
}
