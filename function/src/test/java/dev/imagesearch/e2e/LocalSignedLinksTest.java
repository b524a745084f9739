package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HitView;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded default's answer to S3 presigned URLs: image links signed by the app and served by
 * its {@code /files/} route. A valid link gives the original's bytes; a changed signature or an
 * expired link gets 403 with a message a person understands.
 */
class LocalSignedLinksTest {
  private static HttpResponse get(SearchHandler handler, String link) {
    URI uri = URI.create(link);
    return GetEvents.get(handler, uri.getRawPath(), uri.getRawQuery());
  }

  private static Bootstrap.Wired app(String ttl) {
    Map<String, String> env = new HashMap<>(DemoCollection.local().env());
    env.put("IMAGE_SEARCH_URL_TTL", ttl);
    Bootstrap.Wired wired = Bootstrap.webApp(env);
    wired.watcher().poll();
    return wired;
  }

  @Test
  void validLinksServeTheBytesAndTamperedOnesAreRefused() throws Exception {
    Bootstrap.Wired wired = app("PT15M");
    try {
      SearchHandler handler = new SearchHandler(wired::app);
      HitView hit = wired.service().search("a pink square", 1, 0).hits().get(0);
      HttpResponse original = get(handler, hit.url());
      assertEquals(200, original.status());
      assertEquals("image/jpeg", original.contentType());
      assertArrayEquals(
          Files.readAllBytes(DemoCollection.local().gallery().resolve(hit.key())), original.body());
      assertEquals(200, get(handler, hit.thumbnailUrl()).status());

      String tampered =
          hit.url().substring(0, hit.url().length() - 1) + (hit.url().endsWith("A") ? "B" : "A");
      HttpResponse refused = get(handler, tampered);
      assertEquals(403, refused.status());
      assertTrue(refused.bodyText().contains("this image link is not valid"), refused.bodyText());

      // A signed link to something outside images/ and thumbs/ is never served.
      assertEquals(
          404, get(handler, hit.url().replace("/files/images/", "/files/index/")).status());
    } finally {
      wired.watcher().close();
    }
  }

  @Test
  void expiredLinksAreRefused() throws Exception {
    Bootstrap.Wired wired = app("1");
    try {
      SearchHandler handler = new SearchHandler(wired::app);
      String link = wired.service().search("a pink square", 1, 0).hits().get(0).url();
      Thread.sleep(2_500);
      HttpResponse expired = get(handler, link);
      assertEquals(403, expired.status());
      assertTrue(expired.bodyText().contains("this image link has expired"), expired.bodyText());
    } finally {
      wired.watcher().close();
    }
  }
}
