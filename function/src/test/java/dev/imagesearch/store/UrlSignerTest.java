package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.store.UrlSigner.Verdict;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlSignerTest {
  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
  private final UrlSigner signer = new UrlSigner(SECRET, "/files");

  /** The parts of a signed link as the file route sees them. */
  private record Link(String path, String expires, String sig) {
    static Link of(URI uri) {
      Map<String, String> query = new HashMap<>();
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv[1]);
      }
      return new Link(uri.getRawPath(), query.get("expires"), query.get("sig"));
    }
  }

  @Test
  void aFreshLinkVerifiesUntilItsExpiry() {
    URI uri = signer.sign("images/cat.jpg", Duration.ofMinutes(15), NOW);
    Link link = Link.of(uri);

    assertEquals("/files/images/cat.jpg", link.path());
    // 2026-11-30T03:00:00Z is 1796007600 s after the epoch; + 900 s
    assertEquals("1796008500", link.expires());
    String key = signer.keyFromPath(link.path());
    assertEquals("images/cat.jpg", key);
    assertEquals(Verdict.OK, signer.verify(key, link.expires(), link.sig(), NOW));
    assertEquals(Verdict.OK, signer.verify(key, link.expires(), link.sig(), NOW.plusSeconds(899)));
    assertEquals(
        Verdict.EXPIRED, signer.verify(key, link.expires(), link.sig(), NOW.plusSeconds(900)));
  }

  @Test
  void anyChangedCharacterIsABadSignature() {
    Link link = Link.of(signer.sign("images/cat.jpg", Duration.ofMinutes(15), NOW));
    char[] sig = link.sig().toCharArray();
    sig[5] = sig[5] == 'A' ? 'B' : 'A';

    assertEquals(
        Verdict.BAD_SIGNATURE,
        signer.verify("images/cat.jpg", link.expires(), new String(sig), NOW));
    assertEquals(
        Verdict.BAD_SIGNATURE, signer.verify("images/dog.jpg", link.expires(), link.sig(), NOW));
    // A later expiry is the classic tampering: it must not verify.
    assertEquals(
        Verdict.BAD_SIGNATURE,
        signer.verify("images/cat.jpg", link.expires() + "0", link.sig(), NOW));
    assertEquals(
        Verdict.BAD_SIGNATURE,
        new UrlSigner("another-key-another-key-another-key".getBytes(StandardCharsets.UTF_8), "/f")
            .verify("images/cat.jpg", link.expires(), link.sig(), NOW));
  }

  @Test
  void everyPositionOfTheSignatureCountsIncludingTheLastCharactersUnusedBits() {
    // 32 MAC bytes are 43 base64 characters; the last one carries 4 bits of the MAC and 2 unused
    // bits, so 'A' (000000) and 'B' (000001) decode to the same bytes. Every spelling but the
    // signer's own must still be refused.
    Link link = Link.of(signer.sign("images/cat.jpg", Duration.ofMinutes(15), NOW));
    for (int i = 0; i < link.sig().length(); i++) {
      for (char other : new char[] {'A', 'B', 'g', '-'}) {
        char[] sig = link.sig().toCharArray();
        if (sig[i] == other) {
          continue;
        }
        sig[i] = other;
        assertEquals(
            Verdict.BAD_SIGNATURE,
            signer.verify("images/cat.jpg", link.expires(), new String(sig), NOW),
            "position " + i + " changed to " + other);
      }
    }
  }

  @Test
  void malformedValuesAreBadSignaturesNotErrors() {
    assertEquals(Verdict.BAD_SIGNATURE, signer.verify("images/cat.jpg", "soon", "abc", NOW));
    assertEquals(Verdict.BAD_SIGNATURE, signer.verify("images/cat.jpg", "1", "!!not-b64", NOW));
    assertEquals(Verdict.BAD_SIGNATURE, signer.verify("images/cat.jpg", null, null, NOW));
    assertEquals(Verdict.BAD_SIGNATURE, signer.verify("../etc/passwd", "1", "AAAA", NOW));
  }

  @Test
  void theSignatureDoesNotDependOnTheStagePrefix() {
    UrlSigner behindStage = new UrlSigner(SECRET, "/prod/files/");
    Link plain = Link.of(signer.sign("thumbs/a b+c.jpg.jpg", Duration.ofMinutes(1), NOW));
    Link staged = Link.of(behindStage.sign("thumbs/a b+c.jpg.jpg", Duration.ofMinutes(1), NOW));

    assertEquals("/files/thumbs/a%20b%2Bc.jpg.jpg", plain.path());
    assertEquals("/prod/files/thumbs/a%20b%2Bc.jpg.jpg", staged.path());
    assertEquals(plain.sig(), staged.sig());
    assertEquals("thumbs/a b+c.jpg.jpg", behindStage.keyFromPath(staged.path()));
    // API Gateway may pass the path with the stage; a signer configured without it still finds the
    // key.
    assertEquals("thumbs/a b+c.jpg.jpg", signer.keyFromPath(staged.path()));
    assertEquals(
        Verdict.OK, signer.verify("thumbs/a b+c.jpg.jpg", staged.expires(), staged.sig(), NOW));
    assertNull(signer.keyFromPath("/api/search"));
  }

  @Test
  void nonAsciiKeysRoundTrip() {
    Link link = Link.of(signer.sign("images/café/ü.jpg", Duration.ofMinutes(1), NOW));
    assertEquals("/files/images/caf%C3%A9/%C3%BC.jpg", link.path());
    assertEquals("images/café/ü.jpg", signer.keyFromPath(link.path()));
  }

  @Test
  void shortKeysAreRefused() {
    ImageSearchException e =
        assertThrows(
            ImageSearchException.class,
            () -> new UrlSigner("short".getBytes(StandardCharsets.UTF_8), "/files"));
    assertEquals("the URL signing key has 5 bytes; use at least 32", e.getMessage());
  }
}
