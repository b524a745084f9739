package dev.imagesearch.server;

import dev.imagesearch.EnvFile;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.OnnxNatives;
import dev.imagesearch.web.AppConfig;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.Lazy;
import dev.imagesearch.web.Readiness;
import dev.imagesearch.web.SearchHandler;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code image-search serve}: the HTTP server for EC2 and laptops. */
@Command(
    name = "serve",
    description =
        "Serve the search page and JSON API over HTTP (PORT, IMAGE_SEARCH_BIND, ...; a .env file"
            + " in the working directory is read, real environment variables win).",
    mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
  /**
   * Fetches and loads model and index right after the port is open, so the first search is fast and
   * a wrong setting is reported at start, in one line, while /healthz keeps answering.
   */
  private static void warmUp(Lazy<Bootstrap.Wired> app) {
    try {
      long start = System.nanoTime();
      Bootstrap.Wired wired = app.get(); // starts the watcher's first index load, in its thread
      long wiredAt = System.nanoTime();
      // The model loads here meanwhile (readiness asks for its name); poll() then waits for the
      // index load in flight. One after the other, a start would take both times added up.
      wired.service().readiness();
      long modelAt = System.nanoTime();
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
                  + " images), "
                  + sinceProcessStart()
                  + " after start (wiring "
                  + seconds(wiredAt - start)
                  + ", model "
                  + seconds(modelAt - wiredAt)
                  + ", then waiting for the index "
                  + seconds(System.nanoTime() - modelAt)
                  + ")"
              : "not ready yet: " + readiness.problem());
    } catch (ImageSearchException e) {
      System.err.println("error: " + e.getMessage());
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** Seconds since the JVM started, e.g. {@code 1.42 s} (what the start-up benchmark compares). */
  private static String sinceProcessStart() {
    return String.format(
        Locale.ROOT, "%.2f s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }

  /**
   * The configuration, and ONNX Runtime's natives copied into the model cache once instead of out
   * of the jar at every start (where the optimised graphs are kept: not on Lambda).
   */
  private static AppConfig configure(Map<String, String> env) {
    AppConfig config = AppConfig.fromEnv(env);
    config
        .optimizedGraphs()
        .ifPresent(graphs -> OnnxNatives.useCacheIn(graphs.resolveSibling("onnxruntime-native")));
    return config;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = EnvFile.environment(Path.of(".env"), System.getenv());
    ServerSettings settings = ServerSettings.fromEnv(env);
    Lazy<Bootstrap.Wired> wired = new Lazy<>(() -> Bootstrap.webApp(configure(env)));
    HttpServerMain server =
        HttpServerMain.start(new SearchHandler(() -> wired.get().app()), settings);
    System.out.println(
        "image-search listening on http://"
            + settings.bind()
            + ":"
            + server.port()
            + "/ ("
            + sinceProcessStart()
            + " after start)");
    // In the background: /healthz answers meanwhile, and the first visitor finds model and index
    // loaded instead of paying the fetch (or getting a 503).
    Thread.ofPlatform().daemon().name("warm-up").start(() -> warmUp(wired));
    Thread.currentThread().join();
    return 0;
  }
}
