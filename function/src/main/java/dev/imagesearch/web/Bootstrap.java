package dev.imagesearch.web;

/** Builds the application from the environment (placeholder until the search service lands). */
final class Bootstrap {
  private Bootstrap() {}

  static WebApp webAppFromEnvironment() {
    throw HttpError.unavailable("the search service is not configured yet");
  }
}
