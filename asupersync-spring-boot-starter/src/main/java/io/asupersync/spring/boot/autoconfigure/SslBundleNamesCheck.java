package io.asupersync.spring.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.ssl.SslBundles;

/**
 * Fails startup when an {@code asupersync.*.ssl.bundle} property names a bundle that Spring's SSL bundle
 * registry does not have, instead of failing later when the first TLS connection is made.
 */
final class SslBundleNamesCheck implements InitializingBean {

  private final SslBundles sslBundles;
  private final Map<String, Optional<String>> bundleByProperty;

  SslBundleNamesCheck(SslBundles sslBundles, Map<String, Optional<String>> bundleByProperty) {
    this.sslBundles = sslBundles;
    this.bundleByProperty = new TreeMap<>(bundleByProperty);
  }

  @Override
  public void afterPropertiesSet() {
    List<String> known = sslBundles.getBundleNames();
    bundleByProperty.forEach(
        (property, bundle) ->
            bundle.filter(name -> !known.contains(name)).ifPresent(name -> {
              throw new InvalidAsupersyncPropertyException(
                  property,
                  name,
                  "no SSL bundle named '" + name + "' is defined"
                      + (known.isEmpty() ? "" : " (defined: " + String.join(", ", known) + ")"),
                  "Define it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name
                      + ", or set " + property + " to a defined bundle.");
            }));
  }
}
