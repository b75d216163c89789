package io.asupersync.protocols.tls;

import io.asupersync.protocols.tls.TlsConfigException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.jspecify.annotations.Nullable;

/** Reads certificates and PKCS#8 private keys from PEM files, with errors that name the file. */
final class Pem {

  /** Certificate and key files are a few KiB; a bundle of every public CA is under 1 MiB. */
  static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** Key algorithms tried in order on an unencrypted PKCS#8 blob (the DER names it, the JDK has no parser for that). */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

  private Pem() {}

  static byte[] read(Path file) throws TlsConfigException {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new TlsConfigException(
            Reason.UNREADABLE, file + ": " + size + " bytes, more than a TLS file may hold (" + MAX_FILE_BYTES + ")");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsConfigException(Reason.UNREADABLE, file + ": no such file", e);
    } catch (IOException e) {
      throw new TlsConfigException(Reason.UNREADABLE, file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Every certificate in the file, in order (leaf first for a chain). */
  static List<X509Certificate> certificates(Path file) throws TlsConfigException {
    byte[] bytes = read(file);
    Collection<? extends Certificate> parsed;
    try {
      parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
    } catch (CertificateException e) {
      throw new TlsConfigException(Reason.MALFORMED, file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
    }
    List<X509Certificate> certs = new ArrayList<>(parsed.size());
    for (Certificate cert : parsed) {
      if (cert instanceof X509Certificate x509) {
        certs.add(x509);
      }
    }
    if (certs.isEmpty()) {
      throw new TlsConfigException(Reason.MALFORMED, file + ": no certificate found");
    }
    return certs;
  }

  /**
   * The first private key in the file: {@code PRIVATE KEY} (PKCS#8), or {@code ENCRYPTED PRIVATE KEY}
   * (PKCS#8 with PBES2 or a JDK-known PBE scheme) opened with {@code password}.
   */
  static PrivateKey privateKey(Path file, char @Nullable [] password) throws TlsConfigException {
    String text = new String(read(file), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String label = m.group(1);
      switch (label) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, decode(file, m.group(2)));
        }
        case "ENCRYPTED PRIVATE KEY" -> {
          return encrypted(file, decode(file, m.group(2)), password);
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" ->
            throw new TlsConfigException(
                Reason.UNSUPPORTED_FORMAT,
                file + ": '" + label + "' is not PKCS#8; convert it with `openssl pkcs8 -topk8 -in "
                    + file.getFileName() + " -nocrypt` (or -v2 aes-256-cbc to keep it encrypted)");
        default -> {
          // certificates and parameters may share the file; keep looking
        }
      }
    }
    throw new TlsConfigException(Reason.MALFORMED, file + ": no PEM private key block found");
  }

  private static byte[] decode(Path file, String body) throws TlsConfigException {
    try {
      return Base64.getDecoder().decode(WHITESPACE.matcher(body).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new TlsConfigException(Reason.MALFORMED, file + ": PEM body is not base64", e);
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws TlsConfigException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new TlsConfigException(
        Reason.MALFORMED, file + ": not a PKCS#8 key of a supported algorithm (RSA, EC, Ed25519, Ed448)");
  }

  private static PrivateKey encrypted(Path file, byte[] der, char @Nullable [] password) throws TlsConfigException {
    if (password == null) {
      throw new TlsConfigException(Reason.BAD_PASSWORD, file + ": the key is encrypted and no password was given");
    }
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (IOException e) {
      throw new TlsConfigException(Reason.MALFORMED, file + ": malformed encrypted PKCS#8 key", e);
    }
    PKCS8EncodedKeySpec spec;
    try {
      String scheme = info.getAlgName();
      Cipher cipher = Cipher.getInstance(scheme);
      cipher.init(
          Cipher.DECRYPT_MODE,
          SecretKeyFactory.getInstance(scheme).generateSecret(new PBEKeySpec(password)),
          info.getAlgParameters());
      spec = info.getKeySpec(cipher);
    } catch (InvalidKeySpecException e) {
      throw new TlsConfigException(Reason.BAD_PASSWORD, file + ": wrong password for the encrypted key", e);
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException(
          Reason.UNSUPPORTED_FORMAT, file + ": cannot decrypt the key with " + info.getAlgName() + " (" + e + ")", e);
    }
    try {
      return pkcs8(file, spec.getEncoded());
    } catch (TlsConfigException e) {
      // A wrong password sometimes yields valid padding around garbage: that is still a wrong password.
      throw new TlsConfigException(Reason.BAD_PASSWORD, file + ": wrong password for the encrypted key", e);
    }
  }
}
