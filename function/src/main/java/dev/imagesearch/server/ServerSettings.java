package dev.imagesearch.server;

import dev.imagesearch.ImageSearchException;
import java.util.Map;

/**
 * Where the socket server listens.
 *
 * @param bind address to bind ({@code IMAGE_SEARCH_BIND}, default 127.0.0.1; 0.0.0.0 on EC2)
 * @param port TCP port ({@code PORT}, default 8000)
 * @param threads request threads ({@code IMAGE_SEARCH_THREADS}, default 8)
 */
public record ServerSettings(String bind, int port, int threads) {

  public static ServerSettings fromEnv(Map<String, String> env) {
    return new ServerSettings(
        env.getOrDefault("IMAGE_SEARCH_BIND", "127.0.0.1"),
        number(env, "PORT", 8000, 0, 65535),
        number(env, "IMAGE_SEARCH_THREADS", 8, 1, 256));
  }

  private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new ImageSearchException(
            name + " must be between " + min + " and " + max + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ImageSearchException(name + " must be a whole number, got '" + raw + "'");
    }
  }
}
