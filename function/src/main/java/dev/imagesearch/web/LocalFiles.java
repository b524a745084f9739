package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.ObjectKeys;
import dev.imagesearch.store.UrlSigner;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * The local store's file route ({@code /files/<key>?expires=&sig=}): the embedded default's answer
 * to S3 presigned URLs. A link whose signature does not match, or that has expired, gets 403; only
 * {@code images/} and {@code thumbs/} are ever served.
 */
public final class LocalFiles {
  private static final Map<String, String> TYPES =
      Map.of(
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "png", "image/png",
          "webp", "image/webp",
          "gif", "image/gif",
          "bmp", "image/bmp");
  private final LocalBlobStore store;
  private final Clock clock;

  public LocalFiles(LocalBlobStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  HttpResponse serve(HttpRequest request) {
    UrlSigner signer = store.signer();
    String key = signer.keyFromPath(request.path());
    if (key == null || !ObjectKeys.isImageOrThumbnail(key)) {
      throw HttpError.notFound("no file at " + request.path());
    }
    UrlSigner.Verdict verdict =
        signer.verify(
            key,
            request.param("expires").orElse(""),
            request.param("sig").orElse(""),
            clock.instant());
    switch (verdict) {
      case EXPIRED ->
          throw new HttpError(403, "this image link has expired: search again for a fresh one");
      case BAD_SIGNATURE -> throw new HttpError(403, "this image link is not valid");
      case OK -> {}
    }
    byte[] bytes;
    try (InputStream in = store.open(key)) {
      bytes = in.readAllBytes();
    } catch (ImageSearchException | IOException e) {
      throw HttpError.notFound("no file " + key);
    }
    String name = key.toLowerCase(Locale.ROOT);
    String type =
        TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    return HttpResponse.of(200, type, bytes).withHeader("cache-control", "private, max-age=600");
  }
}
