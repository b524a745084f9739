package dev.imagesearch.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code /static/<name>} from the packaged {@code template-assets/} folder: only known file
 * types, no sub-folders, read once and kept.
 */
final class StaticAssets {
  private static final Map<String, String> TYPES =
      Map.of(
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "woff2", "font/woff2");
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  HttpResponse serve(HttpRequest request) {
    String name = request.path().substring("/static/".length());
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
    if (type == null || name.contains("/") || name.contains("..") || name.startsWith(".")) {
      throw HttpError.notFound("no static file " + name);
    }
    byte[] bytes = cache.computeIfAbsent(name, StaticAssets::load);
    if (bytes.length == 0) {
      throw HttpError.notFound("no static file " + name);
    }
    return HttpResponse.of(200, type, bytes).withHeader("cache-control", "public, max-age=3600");
  }

  private static byte[] load(String name) {
    try (InputStream in =
        StaticAssets.class.getClassLoader().getResourceAsStream("template-assets/" + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
