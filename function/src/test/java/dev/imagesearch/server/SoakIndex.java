package dev.imagesearch.server;

import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.Npy;
import dev.imagesearch.store.StagedIndex;
import dev.imagesearch.store.UrlSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code make soak}'s collection: a published index of N random unit rows (float16) for the given
 * model's id and dimension, in a local store. The soak measures the server under load, not
 * retrieval quality, so the rows need no images behind them (links are signed, never fetched).
 *
 * <pre>{@code SoakIndex <store-dir> <model-dir> <rows>}</pre>
 */
public final class SoakIndex {
  private SoakIndex() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    ModelDirectory model =
        ModelDirectory.open(Path.of(args[1]), ModelDirectory.Precision.PREFER_QUANTIZED);
    int rows = Integer.parseInt(args[2]);
    Path staging = Files.createTempDirectory("soak").resolve("staging");
    StagedIndex.write(staging, model.modelId(), rows, model.projectionDim(), Npy.DType.FLOAT16, 42);
    String version =
        new IndexPublisher(
                new LocalBlobStore(store, UrlSigner.withRandomKey("/files")), 3, Clock.systemUTC())
            .publish(staging);
    System.out.println(
        "published " + version + ": " + rows + " rows for " + model.modelId() + " in " + store);
  }
}
