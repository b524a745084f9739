package dev.imagesearch.web;

import java.util.Set;
import java.util.function.Function;

/**
 * One entry of the route table.
 *
 * @param path the exact path, or a prefix ending in {@code /} when {@code prefix} is true
 * @param prefix whether the route owns every path below {@code path}
 * @param methods the methods it answers ({@code HEAD} is implied by {@code GET})
 * @param action what answers
 */
public record Route(
    String path, boolean prefix, Set<String> methods, Function<HttpRequest, HttpResponse> action) {

  public static Route get(String path, Function<HttpRequest, HttpResponse> action) {
    return new Route(path, path.endsWith("/") && path.length() > 1, Set.of("GET"), action);
  }

  boolean matches(String requestPath) {
    return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
  }

  boolean allows(String method) {
    return methods.contains(method) || ("HEAD".equals(method) && methods.contains("GET"));
  }
}
