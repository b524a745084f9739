package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import java.util.List;

/**
 * The HTML page: {@code GET /} shows the search box with a sample of the collection and example
 * queries, {@code ?q=} a ranking for a text query and {@code ?similar=key} images like a stored
 * one. Bad input is shown on the page with status 400, never as a stack trace.
 */
final class PageRoutes {
  /** Images a first visit sees before typing. */
  static final int SAMPLE_SIZE = 12;

  private final SearchService service;
  private final Templates templates;
  private final WebSettings settings;

  PageRoutes(SearchService service, Templates templates, WebSettings settings) {
    this.service = service;
    this.templates = templates;
    this.settings = settings;
  }

  HttpResponse page(HttpRequest request) {
    int k = request.intParam("k", settings.defaultK(), 1, settings.maxK());
    int offset = request.intParam("offset", 0, 0, settings.maxOffset());
    SearchOutcome outcome = null;
    String error = null;
    int status = 200;
    try {
      if (request.param("similar").isPresent()) {
        outcome = service.similar(request.param("similar").get(), k, offset);
      } else if (request.param("q").isPresent()) {
        outcome = service.search(request.param("q").get(), k, offset);
      }
    } catch (ImageSearchException e) {
      // A failure the user can fix is shown on the page itself; the rest goes to the Router.
      status = Router.statusOf(e).orElse(500);
      if (status >= 500) {
        throw e;
      }
      error = e.getMessage();
    }
    Readiness readiness = service.readiness();
    boolean firstVisit = outcome == null && error == null;
    String html =
        templates.render(
            "page.mustache",
            PageView.of(
                request,
                readiness,
                outcome,
                error,
                settings.maxQueryLength(),
                firstVisit ? service.sample(SAMPLE_SIZE) : List.of(),
                firstVisit ? service.examples() : List.of()));
    HttpResponse response = HttpResponse.html(status, html).withHeader("cache-control", "no-store");
    return outcome == null ? response : ServerTiming.add(response, outcome);
  }
}
