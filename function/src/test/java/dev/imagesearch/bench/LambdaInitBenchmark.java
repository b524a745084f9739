package dev.imagesearch.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.Npy;
import dev.imagesearch.store.StagedIndex;
import dev.imagesearch.store.UrlSigner;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.Lazy;
import dev.imagesearch.web.SearchHandler;
import dev.imagesearch.web.SnapStartPriming;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What a Lambda execution environment spends before and on its first answer, measured in one fresh
 * JVM per mode: {@code cold} (SnapStart off: everything loads on the first request) or {@code
 * primed} (the CRaC hooks ran first, as SnapStart does before its snapshot).
 *
 * <pre>java -cp ... dev.imagesearch.bench.LambdaInitBenchmark primed work-data/bench-model 50000
 * </pre>
 */
public final class LambdaInitBenchmark {
  private LambdaInitBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path model = Path.of(args[1]);
    int rows = Integer.parseInt(args[2]);
    ModelDirectory directory =
        ModelDirectory.open(model, ModelDirectory.Precision.PREFER_QUANTIZED);
    Path dir = Files.createTempDirectory("lambda-init-bench");
    Path staging =
        StagedIndex.write(
            dir.resolve("staging"),
            directory.modelId(),
            rows,
            directory.projectionDim(),
            Npy.DType.FLOAT16,
            1);
    LocalBlobStore store =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    new IndexPublisher(store, 3).publish(staging);
    Map<String, String> env =
        Map.of(
            "IMAGE_SEARCH_MODEL", model.toString(),
            "IMAGE_SEARCH_STORE", dir.resolve("store").toString(),
            "IMAGE_SEARCH_INDEX_POLL", "0");

    long t0 = System.nanoTime();
    Bootstrap.Wired wired = Bootstrap.webApp(env);
    long t1 = System.nanoTime();
    wired.watcher().poll();
    long t2 = System.nanoTime();
    wired.service().readiness(); // loads tokenizer and text model
    long t3 = System.nanoTime();
    double primeMs = 0;
    if (mode.equals("primed")) {
      SnapStartPriming priming = new SnapStartPriming(new Lazy<>(() -> wired), 25);
      long p = System.nanoTime();
      priming.beforeCheckpoint(null);
      priming.afterRestore(null);
      primeMs = (System.nanoTime() - p) / 1e6;
    }
    SearchHandler handler = new SearchHandler(wired::app);
    long q = System.nanoTime();
    HttpResponse first = handler.handle(event("a photo of a golden retriever in the snow"));
    double firstMs = (System.nanoTime() - q) / 1e6;
    if (first.status() != 200) {
      System.out.println("first query failed: " + first.bodyText());
    }
    double[] next = new double[50];
    String timing = "";
    for (int i = 0; i < next.length; i++) {
      long s = System.nanoTime();
      HttpResponse r = handler.handle(event("query number " + i + " about a dog"));
      next[i] = (System.nanoTime() - s) / 1e6;
      timing = r.headers().get("server-timing");
    }
    System.out.println("  last query's Server-Timing: " + timing);
    Arrays.sort(next);
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        Locale.ROOT,
        "mode=%s rows=%d model=%s status=%d%n"
            + "  app wiring %.0f ms, index load %.0f ms, model+tokenizer load %.0f ms, priming %.0f ms%n"
            + "  first query %.1f ms, next 50 queries p50 %.1f ms p90 %.1f ms%n"
            + "  heap used after GC %.0f MB, RSS %s%n",
        mode,
        rows,
        directory.modelId(),
        first.status(),
        (t1 - t0) / 1e6,
        (t2 - t1) / 1e6,
        (t3 - t2) / 1e6,
        primeMs,
        firstMs,
        next[next.length / 2],
        next[(int) (next.length * 0.9)],
        heap / 1e6,
        rss());
    wired.watcher().close();
    System.exit(0);
  }

  private static String rss() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .map(l -> l.replaceAll("\\s+", " "))
        .findFirst()
        .orElse("?");
  }

  private static APIGatewayV2HTTPEvent event(String q) {
    return APIGatewayV2HTTPEvent.builder()
        .withRawPath("/api/search")
        .withRawQueryString(
            "q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8) + "&k=24")
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withStage("$default")
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                .build())
        .build();
  }
}
