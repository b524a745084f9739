package dev.imagesearch.web;

import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.IndexWatcher;
import dev.imagesearch.store.LocalBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Builds the application from configuration. Cheap: the model loads on first use (or when SnapStart
 * primes), the index in the watcher's background thread, so {@code /healthz} answers at once.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * The application and the parts behind it (for priming, restore and shutdown).
   *
   * @param store the store of images and index, whose connections SnapStart's restore renews
   */
  public record Wired(
      WebApp app, ClipSearchService service, IndexWatcher watcher, BlobStore store) {}

  public static Wired webApp(AppConfig config) {
    Path modelDir = ModelLocation.resolve(config.model(), config.store(), config.modelCache());
    ModelDirectory directory =
        ModelDirectory.open(modelDir, ModelDirectory.Precision.PREFER_QUANTIZED);
    Lazy<ClipModel> model =
        new Lazy<>(() -> ClipModel.load(directory, ClipModel.Options.defaults()));
    BlobStore store = BlobStores.create(config.store());
    IndexWatcher watcher =
        new IndexWatcher(
            new IndexLoader(store),
            directory.modelId(),
            directory.projectionDim(),
            config.store().indexPoll());
    watcher.start();
    LocalFiles files =
        store instanceof LocalBlobStore local ? new LocalFiles(local, Clock.systemUTC()) : null;
    ClipSearchService service =
        new ClipSearchService(
            model,
            watcher,
            store,
            config.store().urlTtl(),
            config,
            config.thresholds().orElseGet(() -> RelevanceCalibration.of(modelDir)),
            files);
    return new Wired(new WebApp(service, config.web()), service, watcher, store);
  }

  /** For tests and tools: the environment as a map. */
  public static Wired webApp(Map<String, String> env) {
    return webApp(AppConfig.fromEnv(env));
  }
}
