package dev.imagesearch.web;

import dev.imagesearch.search.InvalidQueryException;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds the route for a request and turns failures into answers in the route family's format: JSON
 * under {@code /api}, a page elsewhere. Unknown path 404, known path with another method 405 (with
 * {@code Allow}), {@code HEAD} answered as {@code GET} without a body.
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
    } catch (HttpError e) {
      response = errors.of(request, e.status(), e.getMessage());
    } catch (InvalidQueryException e) {
      response = errors.of(request, 400, e.getMessage());
    }
    if ("HEAD".equals(request.method())) {
      response =
          new HttpResponse(response.status(), response.headers(), new byte[0])
              .withHeader("content-length", Integer.toString(response.body().length));
    }
    return response;
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
