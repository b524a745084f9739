package dev.imagesearch.e2e;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;

/** Test helper: a GET through the Lambda door, as API Gateway's {@code $default} stage sends it. */
final class GetEvents {
  private GetEvents() {}

  static HttpResponse get(SearchHandler handler, String path, String query) {
    return handler.handle(
        APIGatewayV2HTTPEvent.builder()
            .withRawPath(path)
            .withRawQueryString(query)
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withStage("$default")
                    .withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod("GET")
                            .build())
                    .build())
            .build(),
        line -> {});
  }
}
