package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.clip.ThreadSizing;
import dev.imagesearch.search.IndexManifest;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.IndexFiles;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.LoadedIndex;
import dev.imagesearch.store.ManifestJson;
import dev.imagesearch.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code image-search calibrate}: measures the live index's relevance calibration (what unrelated
 * queries reach on it) and publishes it as a new version with the same images, for an index
 * published before calibration existed. {@code index} does the same on every publish.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure how the live index answers queries that should match nothing (nonsense texts from"
          + " the model's tokenizer, synthetic images), and publish it as calibration.json in a new"
          + " version with the same embeddings. The index command does this on every publish."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:calibrated and published",
      "2:bad arguments or configuration (no index, missing model, another model's index)",
      "3:store or model failure"
    })
public final class CalibrateCommand implements Callable<Integer> {
  @Option(
      names = "--index",
      paramLabel = "DIR|s3://bucket/prefix",
      description = "The store root. Default: IMAGE_SEARCH_STORE, else s3://$BUCKET_NAME.")
  String index;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "The CLIP model the index was made with. Default: IMAGE_SEARCH_MODEL.")
  Path model;

  Map<String, String> env = System.getenv();
  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    StoreConfig config;
    ModelDirectory directory;
    LoadedIndex live;
    BlobStore store;
    try {
      config = IndexCommand.storeConfig(env, index, "--index");
      directory = IndexCommand.modelDirectory(model, env);
      store = BlobStores.create(config);
      live = new IndexLoader(store).loadCurrent(directory.modelId(), directory.projectionDim());
    } catch (ImageSearchException e) {
      err.println("error: " + e.getMessage());
      return IndexCommand.BAD_CONFIGURATION;
    }
    try {
      Path staging = Files.createTempDirectory("image-search-calibrate-");
      try {
        stage(store, live, staging);
        CalibrationStep.writeInto(
            staging, live.matrix(), directory, ThreadSizing.intraOpThreads(0), out);
        String version = new IndexPublisher(store, config.keepVersions()).publish(staging);
        out.println("published " + version + " (" + live.size() + " images, calibrated)");
      } finally {
        Indexer.deleteTree(staging);
      }
      return IndexCommand.OK;
    } catch (ImageSearchException | IOException e) {
      err.println("error: " + e.getMessage());
      return IndexCommand.FAILURE;
    }
  }

  /** Copies the live version's data files and a draft manifest into {@code staging}. */
  private static void stage(BlobStore store, LoadedIndex live, Path staging) throws IOException {
    IndexManifest m = live.manifest();
    for (String file : m.fileSha256().keySet()) {
      if (file.equals(IndexFiles.CALIBRATION)) continue;
      try (InputStream in = store.open(IndexFiles.key(live.version(), file))) {
        Files.copy(in, staging.resolve(file));
      }
    }
    IndexManifest draft =
        new IndexManifest(
            m.version(), m.modelId(), m.dim(), m.count(), m.dtype(), m.createdAt(), Map.of());
    Files.write(staging.resolve(IndexFiles.MANIFEST), ManifestJson.write(draft));
  }
}
