package io.asupersync.spring.boot.server;

import io.asupersync.Cx;
import io.asupersync.protocols.http.HttpFilter;
import io.asupersync.protocols.http.HttpHandler;
import io.asupersync.protocols.http.HttpRequest;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.tls.TlsInfo;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Authenticates requests of the Asupersync server and hands the result to handlers: as {@link
 * #authentication(HttpRequest)} (a request attribute) and through {@link SecurityContextHolder} on the
 * handler's thread (not on tasks it spawns: pass the {@link Authentication} along).
 *
 * <ul>
 *   <li>{@code Authorization: Basic} is checked by the username/password {@link AuthenticationManager}
 *       (the starter builds one from a {@code UserDetailsService} bean when there is no manager);
 *   <li>{@code Authorization: Bearer} is checked by the bearer authenticator (from a {@code JwtDecoder}
 *       or {@code AuthenticationManager} bean, with Spring Security's OAuth2 resource server);
 *   <li>otherwise, a client certificate verified by the TLS port (mTLS) becomes a {@link
 *       PreAuthenticatedAuthenticationToken} named by the certificate's CN, without authorities.
 * </ul>
 *
 * Credentials that do not authenticate are answered 401 with {@code WWW-Authenticate}, before the
 * handler runs; a request without credentials goes on unauthenticated, and the handler decides. A scheme
 * nobody checks (no manager for it) is ignored.
 */
public final class AuthenticationHttpFilter implements HttpFilter, Ordered {

  /** Request attribute under which the {@link Authentication} is stored. */
  public static final String ATTRIBUTE = Authentication.class.getName();

  /** Inside the observation filter, outside every application filter. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

  private static final String REALM = "asupersync";

  private final @Nullable AuthenticationManager basic;
  private final @Nullable Function<String, Authentication> bearer;

  /**
   * @param basic checks username and password ({@link UsernamePasswordAuthenticationToken}); null to
   *     ignore Basic credentials
   * @param bearer turns a bearer token into an authenticated {@link Authentication} or throws {@link
   *     AuthenticationException}; null to ignore Bearer credentials
   */
  public AuthenticationHttpFilter(
      @Nullable AuthenticationManager basic, @Nullable Function<String, Authentication> bearer) {
    this.basic = basic;
    this.bearer = bearer;
  }

  /** The authentication the filter established for {@code request}, if any. */
  public static Optional<Authentication> authentication(HttpRequest request) {
    return request.attributes().get(ATTRIBUTE) instanceof Authentication authentication
        ? Optional.of(authentication)
        : Optional.empty();
  }

  @Override
  public HttpResponse filter(Cx cx, HttpRequest request, HttpHandler next) throws Exception {
    Authentication authentication;
    try {
      authentication = authenticate(request);
    } catch (AuthenticationException | IllegalArgumentException ex) {
      return unauthorized(request);
    }
    if (authentication == null) {
      return next.handle(cx, request);
    }
    request.attributes().put(ATTRIBUTE, authentication);
    SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    SecurityContext context = holder.createEmptyContext();
    context.setAuthentication(authentication);
    holder.setContext(context);
    try {
      return next.handle(cx, request);
    } finally {
      holder.clearContext();
    }
  }

  private @Nullable Authentication authenticate(HttpRequest request) {
    String header = request.headers().first("authorization");
    if (header != null) {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      String credentials = space < 0 ? "" : header.substring(space + 1).strip();
      switch (scheme.toLowerCase(Locale.ROOT)) {
        case "basic" -> {
          if (basic != null) {
            return basic.authenticate(usernamePassword(credentials));
          }
        }
        case "bearer" -> {
          if (bearer != null) {
            if (credentials.isEmpty()) {
              throw new IllegalArgumentException("empty bearer token");
            }
            return bearer.apply(credentials);
          }
        }
        default -> {}
      }
    }
    return request.tls().map(AuthenticationHttpFilter::clientCertificate).orElse(null);
  }

  private static UsernamePasswordAuthenticationToken usernamePassword(String credentials) {
    // Throws IllegalArgumentException on bad Base64: answered 401 like a wrong password.
    String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("Basic credentials without ':'");
    }
    return UsernamePasswordAuthenticationToken.unauthenticated(
        decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  private static @Nullable Authentication clientCertificate(TlsInfo tls) {
    if (tls.peerCertificates().isEmpty()) {
      return null;
    }
    X509Certificate leaf = tls.peerCertificates().get(0);
    // The TLS port verified the chain against the bundle's trust store before the request existed.
    return new PreAuthenticatedAuthenticationToken(commonName(leaf), leaf, List.of());
  }

  private static String commonName(X509Certificate certificate) {
    String subject = certificate.getSubjectX500Principal().getName();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException ex) {
      // An X500 name from a verified certificate parses; fall back to the whole subject regardless.
    }
    return subject;
  }

  private HttpResponse unauthorized(HttpRequest request) {
    boolean bearerAsked = request.headers().first("authorization") instanceof String h
        && h.regionMatches(true, 0, "bearer", 0, 6);
    String challenge = bearerAsked
        ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
        : "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
    return HttpResponse.status(401)
        .header("www-authenticate", challenge)
        .contentType("text/plain; charset=utf-8")
        .body("unauthorized")
        .build();
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
