package io.asupersync.security;

/** Why content failed authentication. None of them carries key material. */
public enum AuthFailure {
  /** A tag is present but no key is configured to verify it. */
  NO_KEY("no key is configured to verify the tag"),
  /** No tag at all: it was stripped, or the content was never tagged. */
  TAG_MISSING("the content carries no authentication tag (stripped, or never tagged)"),
  /** The tag is not a well-formed HMAC-SHA256 tag, or is all zeros. */
  TAG_MALFORMED("the authentication tag is malformed"),
  /** The tag names another key: the content was tagged with a different key, or the key id was edited. */
  WRONG_KEY("the tag was made with a different key"),
  /** The tag names this key but does not match: the content was modified after it was tagged. */
  TAG_MISMATCH("the content does not match its tag: it was modified after tagging");

  private final String description;

  AuthFailure(String description) {
    this.description = description;
  }

  /** A sentence saying what failed. */
  public String description() {
    return description;
  }
}
