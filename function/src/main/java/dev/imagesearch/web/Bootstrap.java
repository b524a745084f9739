package dev.imagesearch.web;

import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.search.QueryValidator;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.ScanSettings;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.IndexWatcher;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.StoreLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

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
    ClipModel.Options options =
        config
            .optimizedGraphs()
            .map(ClipModel.Options.defaults()::withOptimizedGraphs)
            .orElse(ClipModel.Options.defaults());
    Lazy<ClipModel> model = new Lazy<>(() -> ClipModel.load(directory, options));
    BlobStore store;
    Optional<LocalFiles> files;
    // A local folder has no URLs of its own: its links go to the app's file route.
    switch (config.store().location()) {
      case StoreLocation.Local local -> {
        LocalBlobStore folder = BlobStores.local(local, config.store());
        store = folder;
        files = Optional.of(new LocalFiles(folder, Clock.systemUTC()));
      }
      case StoreLocation.S3 s3 -> {
        store = BlobStores.create(config.store());
        files = Optional.empty();
      }
    }
    IndexWatcher watcher =
        new IndexWatcher(
            new IndexLoader(store),
            directory.modelId(),
            directory.projectionDim(),
            config.store().indexPoll());
    watcher.start();
    ClipSearchService service =
        new ClipSearchService(
            new QueryValidator(config.web().maxQueryLength()),
            new QueryEmbedder(model, config.queryCacheSize()),
            new Rankings(
                watcher,
                config.thresholds().or(() -> RelevanceOverrides.of(modelDir)),
                // One pool per application: its threads start with the first large scan.
                ScanPool.start(ScanSettings.DEFAULTS)),
            new HitPresenter(store, config.store().urlTtl()),
            directory.isTestModel(),
            config.examples());
    return new Wired(new WebApp(service, config.web(), files), service, watcher, store);
  }

  /** For tests and tools: the environment as a map. */
  public static Wired webApp(Map<String, String> env) {
    return webApp(AppConfig.fromEnv(env));
  }
}
