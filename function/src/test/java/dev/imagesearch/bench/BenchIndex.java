package dev.imagesearch.bench;

import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.Npy;
import dev.imagesearch.store.StagedIndex;
import dev.imagesearch.store.UrlSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a local store holding one published index of {@code rows} random float16 rows for the
 * model in {@code modelDir} (its id and dimension), for {@code make bench} (bench/run_bench.py).
 *
 * <pre>
 * java ... dev.imagesearch.bench.BenchIndex work-data/bench-index/50000 50000 work-data/bench-model
 * </pre>
 */
public final class BenchIndex {
  private BenchIndex() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    ModelDirectory model =
        ModelDirectory.open(Path.of(args[2]), ModelDirectory.Precision.PREFER_QUANTIZED);
    Path staging = store.resolveSibling(store.getFileName() + ".staging");
    StagedIndex.write(staging, model.modelId(), rows, model.projectionDim(), Npy.DType.FLOAT16, 1);
    String version =
        new IndexPublisher(new LocalBlobStore(store, UrlSigner.withRandomKey("/files")), 1)
            .publish(staging);
    try (Stream<Path> files = Files.walk(staging)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.out.println("published " + version + " (" + rows + " rows) in " + store);
  }
}
