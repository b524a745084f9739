package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;

/** A failure with the HTTP status a user should get and a message they can act on. */
public final class HttpError extends ImageSearchException {
  private final int status;

  public HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  public static HttpError unavailable(String message) {
    return new HttpError(503, message);
  }
}
