package dev.imagesearch.server;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.web.AppConfig;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.Lazy;
import dev.imagesearch.web.Readiness;
import dev.imagesearch.web.SearchHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code image-search serve}: the HTTP server for EC2 and laptops. */
@Command(
    name = "serve",
    description = "Serve the search page and JSON API over HTTP (PORT, IMAGE_SEARCH_BIND, ...).",
    mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
  /**
   * Loads model and index right after the port is open, so the first search is fast and a wrong
   * setting is reported at start, in one line, while /healthz keeps answering.
   */
  private static void warmUp(Lazy<Bootstrap.Wired> app) {
    try {
      Bootstrap.Wired wired = app.get();
      wired.watcher().poll();
      Readiness readiness = wired.service().readiness();
      System.out.println(
          readiness.ready()
              ? "ready: model "
                  + readiness.modelName()
                  + ", index "
                  + readiness.indexVersion()
                  + " ("
                  + readiness.collectionSize()
                  + " images)"
              : "not ready yet: " + readiness.problem());
    } catch (ImageSearchException e) {
      System.err.println("error: " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerSettings settings = ServerSettings.fromEnv(System.getenv());
    Lazy<Bootstrap.Wired> wired =
        new Lazy<>(() -> Bootstrap.webApp(AppConfig.fromEnv(System.getenv())));
    HttpServerMain server =
        HttpServerMain.start(new SearchHandler(() -> wired.get().app()), settings);
    System.out.println(
        "image-search listening on http://" + settings.bind() + ":" + server.port() + "/");
    Thread.currentThread().join();
    return 0;
  }
}
