package dev.imagesearch.web;

/** Access to the web package's test services from other test packages. */
public final class TestServices {
  private TestServices() {}

  public static SearchService fixed() {
    return new FixedSearchService();
  }
}
