package io.asupersync.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthKeyTests {

  /** 32 random-looking bytes that pass every check. */
  static byte[] goodMaterial() {
    byte[] b = new byte[32];
    new Random(42).nextBytes(b);
    return b;
  }

  private static void assertRefused(byte[] material, KeyMaterialException.Reason reason, String messagePart) {
    assertThatThrownBy(() -> AuthKey.fromBytes(material))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e).hasMessageContaining(messagePart).hasMessageContaining("AuthKey.generate()");
        });
  }

  @Test
  void generatedKeysAreDistinctAndUsable() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      try (AuthKey key = AuthKey.generate()) {
        assertThat(key.isTestOnly()).isFalse();
        assertThat(AuthTag.compute(key, AuthDomain.TRACE_EXPORT, new byte[] {1}).verify(key, AuthDomain.TRACE_EXPORT, new byte[] {1})).isTrue();
        ids.add(key.keyId());
      }
    }
    assertThat(ids).hasSize(200);
  }

  @Test
  void randomMaterialIsNotRefusedByTheWeaknessChecks() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      AuthKey.fromBytes(b).close();
    }
  }

  @Test
  void allZeroMaterialIsRefused() {
    assertRefused(new byte[32], KeyMaterialException.Reason.ALL_ZERO, "every byte is zero");
  }

  /** 32 distinct values with one or two bits set each: 56 bits in all. */
  private static byte[] sparse() {
    byte[] b = new byte[32];
    int n = 0;
    for (int i = 0; i < 8; i++) {
      b[n++] = (byte) (1 << i);
    }
    for (int i = 0; i < 8 && n < 32; i++) {
      for (int j = i + 1; j < 8 && n < 32; j++) {
        b[n++] = (byte) ((1 << i) | (1 << j));
      }
    }
    return b;
  }

  @Test
  void tooFewSetBitsAreRefused() {
    assertRefused(sparse(), KeyMaterialException.Reason.TOO_FEW_SET_BITS, "56 of 256 bits set, at least 64");
  }

  @Test
  void tooManySetBitsAreRefused() {
    byte[] dense = sparse();
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (byte) ~dense[i];
    }
    assertRefused(dense, KeyMaterialException.Reason.TOO_MANY_SET_BITS, "200 of 256 bits set, at most 192");
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) -1);
    assertRefused(ones, KeyMaterialException.Reason.TOO_MANY_SET_BITS, "256 of 256");
  }

  @Test
  void tooFewDistinctBytesAreRefused() {
    byte[] pattern = {(byte) 0x5a, (byte) 0xa5, (byte) 0x3c, (byte) 0xc3, (byte) 0x96, (byte) 0x69, (byte) 0x0f, (byte) 0xf0};
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) {
      b[i] = pattern[i % pattern.length];
    }
    assertRefused(b, KeyMaterialException.Reason.TOO_FEW_DISTINCT_BYTES, "8 distinct byte values");
  }

  @Test
  void printableTextIsRefusedAsAPasswordNotAKey() {
    assertRefused("correct horse battery staple!#42".getBytes(StandardCharsets.US_ASCII),
        KeyMaterialException.Reason.LOOKS_LIKE_TEXT, "printable ASCII");
  }

  @Test
  void wrongLengthIsRefused() {
    assertRefused(new byte[31], KeyMaterialException.Reason.WRONG_LENGTH, "32 bytes (256 bits), got 31");
    assertRefused(new byte[33], KeyMaterialException.Reason.WRONG_LENGTH, "got 33");
    assertRefused(new byte[0], KeyMaterialException.Reason.WRONG_LENGTH, "got 0");
  }

  @Test
  void base64InEveryCommonSpellingGivesTheSameKey() {
    byte[] raw = goodMaterial();
    String expected = AuthKey.fromBytes(raw).keyId();
    String standard = Base64.getEncoder().encodeToString(raw);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    for (String text : new String[] {standard, url, "  " + standard + "\n", "base64:" + standard, "BASE64:" + url + "\r\n"}) {
      assertThat(AuthKey.fromBase64(text).keyId()).as(text).isEqualTo(expected);
    }
  }

  @Test
  void badBase64IsRefusedWithoutEchoingTheValue() {
    String secretish = "this-is-not*base64!and-should-never-be-echoed";
    assertThatThrownBy(() -> AuthKey.fromBase64(secretish))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> {
          assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.NOT_BASE64);
          assertThat(e.getMessage()).doesNotContain("echoed").doesNotContain("*");
        });
    assertThatThrownBy(() -> AuthKey.fromBase64("   "))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.MISSING));
    String hex = HexFormat.of().formatHex(goodMaterial());
    assertThatThrownBy(() -> AuthKey.fromBase64(hex))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> {
          assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.WRONG_LENGTH);
          assertThat(e).hasMessageContaining("hex rather than base64");
          assertThat(e.getMessage()).doesNotContain(hex);
        });
    String weak = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> AuthKey.fromBase64(weak))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.ALL_ZERO));
  }

  @Test
  void resourcesHoldBase64Text(@TempDir Path dir) throws Exception {
    byte[] raw = goodMaterial();
    String expected = AuthKey.fromBytes(raw).keyId();
    Path file = dir.resolve("trace.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n");
    assertThat(AuthKey.fromResource(file).keyId()).isEqualTo(expected);
    assertThat(AuthKey.fromResource(new ByteArrayInputStream(Files.readAllBytes(file))).keyId()).isEqualTo(expected);
    assertThatThrownBy(() -> AuthKey.fromResource(new ByteArrayInputStream(new byte[AuthKey.MAX_RESOURCE_BYTES + 1])))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.TOO_LARGE));
    assertThatThrownBy(() -> AuthKey.fromResource(new ByteArrayInputStream(new byte[0])))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.MISSING));
  }

  @Test
  void anUnsetEnvironmentVariableIsNamedButNoValueIsShown() {
    String name = "ASUPERSYNC_TEST_KEY_THAT_IS_NEVER_SET_" + Long.toHexString(System.nanoTime());
    assertThatThrownBy(() -> AuthKey.fromEnvironment(name))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> {
          assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.MISSING);
          assertThat(e).hasMessageContaining(name);
        });
  }

  @Test
  void testOnlyKeysAreDeterministicAndLabelled() {
    assertThat(AuthKey.forTestsOnly(1).keyId()).isEqualTo(AuthKey.forTestsOnly(1).keyId());
    assertThat(AuthKey.forTestsOnly(1).keyId()).isNotEqualTo(AuthKey.forTestsOnly(2).keyId());
    assertThat(AuthKey.forTestsOnly(1).isTestOnly()).isTrue();
    assertThat(AuthKey.forTestsOnly(1).toString()).contains("test-only");
    assertThat(AuthKey.fromBytes(goodMaterial()).toString()).doesNotContain("test-only");
  }

  @Test
  void toStringNeverShowsTheKey() {
    byte[] raw = goodMaterial();
    AuthKey key = AuthKey.fromBytes(raw);
    String s = key.toString();
    assertThat(s).contains(key.keyId()).contains("256-bit");
    String hex = HexFormat.of().formatHex(raw);
    String b64 = Base64.getEncoder().encodeToString(raw);
    for (int i = 0; i + 8 <= hex.length(); i++) {
      assertThat(s).doesNotContain(hex.substring(i, i + 8));
    }
    for (int i = 0; i + 6 <= b64.length(); i++) {
      assertThat(s).doesNotContain(b64.substring(i, i + 6));
    }
    assertThat(key.keyId()).hasSize(16).doesNotContain(hex.substring(0, 8));
  }

  @Test
  void theCallersArrayIsCopied() {
    byte[] raw = goodMaterial();
    AuthKey key = AuthKey.fromBytes(raw);
    AuthTag before = AuthTag.compute(key, AuthDomain.TRACE_EXPORT, new byte[] {9});
    java.util.Arrays.fill(raw, (byte) 0);
    assertThat(before.verify(key, AuthDomain.TRACE_EXPORT, new byte[] {9})).isTrue();
  }

  @Test
  void closeWipesTheKeyAndAClosedKeyCannotBeUsed() {
    AuthKey key = AuthKey.fromBytes(goodMaterial());
    String id = key.keyId();
    AuthTag tag = AuthTag.compute(key, AuthDomain.TRACE_EXPORT, new byte[] {1});
    assertThat(key.materialIsWiped()).isFalse();
    key.close();
    assertThat(key.isClosed()).isTrue();
    assertThat(key.materialIsWiped()).isTrue();
    assertThat(key.keyId()).isEqualTo(id);
    assertThat(key.toString()).contains("closed");
    assertThatThrownBy(() -> AuthTag.compute(key, AuthDomain.TRACE_EXPORT, new byte[] {1}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> tag.verify(key, AuthDomain.TRACE_EXPORT, new byte[] {1}))
        .isInstanceOf(IllegalStateException.class);
    key.close(); // idempotent
  }
}
