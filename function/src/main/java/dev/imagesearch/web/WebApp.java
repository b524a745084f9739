package dev.imagesearch.web;

import java.util.List;

/**
 * The route table: every request of both doors goes through {@link #handle}.
 *
 * <pre>{@code HttpResponse r = new WebApp(service, WebSettings.defaults()).handle(request);}</pre>
 */
public final class WebApp {
  private final Router router;

  public WebApp(SearchService service, WebSettings settings) {
    Templates templates = new Templates();
    PageRoutes page = new PageRoutes(service, templates, settings);
    ApiRoutes api = new ApiRoutes(service, settings);
    HealthRoutes health = new HealthRoutes(service);
    StaticAssets assets = new StaticAssets();
    this.router =
        new Router(
            List.of(
                Route.get("/", page::page),
                Route.get("/api/search", api::search),
                Route.get("/api/similar", api::similar),
                Route.get("/healthz", health::health),
                Route.get("/readyz", health::ready),
                Route.get("/static/", assets::serve),
                Route.get("/files/", service::file)),
            new ErrorResponses(templates));
  }

  public HttpResponse handle(HttpRequest request) {
    return router.handle(request);
  }
}
