package dev.imagesearch.web;

/**
 * Headers every answer carries, whatever the route, status or door: pages, JSON, errors, static
 * files and images. The page needs no script at all, so the policy forbids every script (inline or
 * not) and framing; images may come from the bucket's presigned (https) or a local S3-compatible
 * server's (http) URLs.
 */
public final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' https: http:; style-src 'self'; script-src 'none';"
          + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  /** {@code response} with the security headers and the request id a user can quote. */
  public static HttpResponse apply(HttpResponse response, String requestId) {
    return response
        .withHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .withHeader("x-content-type-options", "nosniff")
        .withHeader("referrer-policy", "no-referrer")
        .withHeader("x-frame-options", "DENY")
        .withHeader("x-request-id", requestId);
  }
}
