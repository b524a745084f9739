package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.IncompatibleQueryException;
import dev.imagesearch.search.InvalidQueryException;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Finds the route for a request and turns failures into answers in the route family's format: JSON
 * under {@code /api}, a page elsewhere. Unknown path 404, known path with another method 405 (with
 * {@code Allow}), {@code HEAD} answered as {@code GET} without a body.
 *
 * <p>The one place where the project's exceptions become HTTP statuses ({@link #statusOf}); an
 * exception not listed there is a fault of ours and reaches {@link SearchHandler}'s 500 answer.
 */
public final class Router {
  private final List<Route> routes;
  private final ErrorResponses errors;

  public Router(List<Route> routes, ErrorResponses errors) {
    this.routes = List.copyOf(routes);
    this.errors = errors;
  }

  public HttpResponse handle(HttpRequest request) {
    HttpResponse response;
    try {
      response = dispatch(request);
    } catch (ImageSearchException e) {
      int status = statusOf(e).orElseThrow(() -> e);
      response = errors.of(request, status, e.getMessage());
    }
    if ("HEAD".equals(request.method())) {
      response =
          new HttpResponse(response.status(), response.headers(), new byte[0])
              .withHeader("content-length", Integer.toString(response.body().length));
    }
    return response;
  }

  /**
   * The status a user gets for a domain failure, or empty for a fault of ours (answered 500).
   *
   * <ul>
   *   <li>{@link HttpError}: its own status (bad parameters, links, files).
   *   <li>{@link InvalidQueryException}: 400, the user can fix the query.
   *   <li>{@link UnknownImageException}: 404, no such image in the live index.
   *   <li>{@link NotReadyException}: 503, model or index not loaded yet; retrying later helps.
   *   <li>{@link IncompatibleQueryException}: 503, the model's embedding does not fit the live
   *       index (made with another model): the service cannot answer until it is re-indexed.
   * </ul>
   */
  static OptionalInt statusOf(ImageSearchException e) {
    return switch (e) {
      case HttpError http -> OptionalInt.of(http.status());
      case InvalidQueryException invalid -> OptionalInt.of(400);
      case UnknownImageException unknown -> OptionalInt.of(404);
      case NotReadyException notReady -> OptionalInt.of(503);
      case IncompatibleQueryException incompatible -> OptionalInt.of(503);
      default -> OptionalInt.empty();
    };
  }

  private HttpResponse dispatch(HttpRequest request) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      if (!route.matches(request.path())) {
        continue;
      }
      if (route.allows(request.method())) {
        return route.action().apply(request);
      }
      allowed.addAll(route.methods());
      if (route.methods().contains("GET")) {
        allowed.add("HEAD");
      }
    }
    if (!allowed.isEmpty()) {
      return errors
          .of(
              request,
              405,
              "method "
                  + request.method()
                  + " is not allowed here; use "
                  + String.join(", ", allowed))
          .withHeader("allow", String.join(", ", allowed));
    }
    throw HttpError.notFound("no page at " + request.basePath() + request.path());
  }
}
