package dev.imagesearch.server;

import dev.imagesearch.web.SearchHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code image-search serve}: the HTTP server for EC2 and laptops. */
@Command(
    name = "serve",
    description = "Serve the search page and JSON API over HTTP (PORT, IMAGE_SEARCH_BIND, ...).",
    mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    ServerSettings settings = ServerSettings.fromEnv(System.getenv());
    HttpServerMain server = HttpServerMain.start(new SearchHandler(), settings);
    System.out.println(
        "image-search listening on http://" + settings.bind() + ":" + server.port() + "/");
    Thread.currentThread().join();
    return 0;
  }
}
