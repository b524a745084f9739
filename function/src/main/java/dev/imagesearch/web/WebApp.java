package dev.imagesearch.web;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The route table: every request of both doors goes through {@link #handle}.
 *
 * <pre>{@code HttpResponse r = new WebApp(service, WebSettings.defaults()).handle(request);}</pre>
 */
public final class WebApp {
  private final Router router;

  /** An application whose images are not served by itself (S3 presigned links). */
  public WebApp(SearchService service, WebSettings settings) {
    this(service, settings, Optional.empty());
  }

  /**
   * @param files the local store's file route ({@code /files/}), when the links point at this app
   */
  public WebApp(SearchService service, WebSettings settings, Optional<LocalFiles> files) {
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
                Route.get("/files/", files.map(WebApp::fileRoute).orElse(WebApp::noFiles))),
            new ErrorResponses(templates));
  }

  public HttpResponse handle(HttpRequest request) {
    return router.handle(request);
  }

  private static Function<HttpRequest, HttpResponse> fileRoute(LocalFiles files) {
    return files::serve;
  }

  private static HttpResponse noFiles(HttpRequest request) {
    throw HttpError.notFound("this deployment serves images from S3, not from " + request.path());
  }
}
