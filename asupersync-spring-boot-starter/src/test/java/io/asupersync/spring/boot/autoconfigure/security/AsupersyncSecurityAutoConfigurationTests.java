package io.asupersync.spring.boot.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.endpoint.AsupersyncEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.web.SecurityFilterChain;

@ExtendWith(OutputCaptureExtension.class)
class AsupersyncSecurityAutoConfigurationTests {

  private static final String WARNING = "are exposed over HTTP and Spring Security is not on the classpath";

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AsupersyncAutoConfiguration.class,
                  AsupersyncEndpointAutoConfiguration.class,
                  AsupersyncSecurityAutoConfiguration.class));

  private final FilteredClassLoader withoutSecurity = new FilteredClassLoader(SecurityFilterChain.class);

  @Test
  void warnsOnceWhenTheEndpointsAreExposedWithoutSpringSecurity(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .withPropertyValues("management.endpoints.web.exposure.include=health,asupersync,asupersynctrace")
        .run(context -> {
          assertThat(context.getBean(UnsecuredEndpointsWarning.class).exposed())
              .containsExactly("asupersync", "asupersynctrace");
          assertThat(output).containsOnlyOnce(WARNING).contains("[asupersync, asupersynctrace]");
        });
  }

  @Test
  void wildcardExposureCountsAsExposed(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .withPropertyValues(
            "management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=asupersynctrace")
        .run(context -> assertThat(context.getBean(UnsecuredEndpointsWarning.class).exposed())
            .containsExactly("asupersync"));
  }

  @Test
  void staysQuietWhenTheEndpointsAreNotExposed(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .run(context -> {
          assertThat(context.getBean(UnsecuredEndpointsWarning.class).exposed()).isEmpty();
          assertThat(output).doesNotContain(WARNING);
        });
  }

  @Test
  void staysQuietWithSpringSecurityOnTheClasspath(CapturedOutput output) {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .run(context -> {
          assertThat(context).doesNotHaveBean(UnsecuredEndpointsWarning.class);
          assertThat(output).doesNotContain(WARNING);
        });
  }

  @Test
  void definesNoSecurityFilterChain() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .run(context -> assertThat(context).doesNotHaveBean(SecurityFilterChain.class));
  }

  @Test
  void warningBacksOffWhenTheUserDefinesABeanWithItsName(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .withBean("asupersyncUnsecuredEndpointsWarning", Object.class, Object::new)
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(UnsecuredEndpointsWarning.class);
          assertThat(output).doesNotContain(WARNING);
        });
  }

  @Test
  void staysQuietOutsideAWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncSecurityAutoConfiguration.class))
        .withClassLoader(withoutSecurity)
        .run(context -> assertThat(context).doesNotHaveBean(UnsecuredEndpointsWarning.class));
  }

  @Test
  void staysQuietWithoutTheActuator() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(SecurityFilterChain.class, IncludeExcludeEndpointFilter.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(UnsecuredEndpointsWarning.class));
  }
}
