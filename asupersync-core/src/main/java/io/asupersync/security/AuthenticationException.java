package io.asupersync.security;

/** Content failed authentication in {@link AuthMode#STRICT} mode; {@link #failure()} says how. */
public final class AuthenticationException extends SecurityException {
  private static final long serialVersionUID = 1L;

  private final AuthFailure failure;
  private final String domain;

  public AuthenticationException(AuthDomain domain, AuthFailure failure, String detail) {
    super(domain.name() + ": " + failure.description() + (detail.isEmpty() ? "" : " (" + detail + ")"));
    this.failure = failure;
    this.domain = domain.name();
  }

  public AuthFailure failure() {
    return failure;
  }

  /** The name of the {@link AuthDomain} whose content failed. */
  public String domain() {
    return domain;
  }
}
