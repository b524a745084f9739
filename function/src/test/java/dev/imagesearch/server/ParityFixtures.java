package dev.imagesearch.server;

import dev.imagesearch.web.SearchService;

/** Gives the server tests the web tests' fixed search service. */
final class ParityFixtures {
  private ParityFixtures() {}

  static SearchService service() {
    return dev.imagesearch.web.TestServices.fixed();
  }
}
