package dev.imagesearch.web;

/**
 * Limits of the web layer.
 *
 * @param defaultK hits per page when {@code k} is absent
 * @param maxK the largest {@code k} accepted: keeps every answer far below API Gateway's 6 MB
 * @param maxOffset the deepest page offset accepted
 * @param maxQueryLength longest query in characters
 */
public record WebSettings(int defaultK, int maxK, int maxOffset, int maxQueryLength) {
  public static WebSettings defaults() {
    return new WebSettings(24, 100, 10_000, 500);
  }
}
