package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.RelevanceThresholds;
import dev.imagesearch.store.StoreConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the service reads from the environment, once, at start. A missing or wrong value fails
 * fast with a message naming the variable.
 *
 * @param store where images, thumbnails and the index live ({@link StoreConfig} lists its
 *     variables)
 * @param model {@code IMAGE_SEARCH_MODEL}: the model directory (a folder, or {@code
 *     s3://bucket/models/name/} fetched into temporary storage, again when it changes)
 * @param modelCache where a model fetched from S3 is kept between starts: {@code
 *     IMAGE_SEARCH_MODEL_CACHE}, else {@code $CACHE_DIRECTORY/models} (systemd's {@code
 *     CacheDirectory=}), else {@code /tmp/image-search-models} on Lambda, else the user's cache
 *     folder ({@code $XDG_CACHE_HOME} or {@code ~/.cache}, then {@code image-search/models})
 * @param optimizedGraphs where ONNX Runtime's optimised graphs of the text towers are kept between
 *     starts ({@code onnx-optimized} in the model cache), so a start skips the graph optimiser;
 *     empty on Lambda, where SnapStart creates the session once before its snapshot and a sandbox
 *     without it starts with an empty {@code /tmp}, so a saved graph is never read again
 * @param web page size and input limits
 * @param thresholds relevance verdict thresholds set in the environment ({@code
 *     IMAGE_SEARCH_STRONG_Z}, {@code IMAGE_SEARCH_STRONG_MARGIN}, {@code IMAGE_SEARCH_WEAK_Z},
 *     {@code IMAGE_SEARCH_WEAK_MARGIN}, {@code IMAGE_SEARCH_STRONG_SCORE}, {@code
 *     IMAGE_SEARCH_WEAK_SCORE}); empty when none is set, and then the model directory's {@code
 *     relevance.json} or the defaults apply
 * @param queryCacheSize {@code IMAGE_SEARCH_QUERY_CACHE}: query embeddings kept (default 1024)
 * @param examples {@code IMAGE_SEARCH_EXAMPLES}: example queries the first page offers, separated
 *     by {@code |} (default none: the page then shows only a sample of the collection)
 */
public record AppConfig(
    StoreConfig store,
    String model,
    java.nio.file.Path modelCache,
    Optional<java.nio.file.Path> optimizedGraphs,
    WebSettings web,
    Optional<RelevanceThresholds> thresholds,
    int queryCacheSize,
    List<String> examples) {

  public static AppConfig fromEnv(Map<String, String> env) {
    String model = env.get("IMAGE_SEARCH_MODEL");
    if (model == null || model.isBlank()) {
      throw new ImageSearchException(
          "IMAGE_SEARCH_MODEL is not set: point it at a CLIP model directory"
              + " (make model downloads one; make run uses the built-in tiny model)");
    }
    RelevanceThresholds d = RelevanceThresholds.DEFAULTS;
    boolean anySet =
        java.util.stream.Stream.of(
                "IMAGE_SEARCH_STRONG_Z",
                "IMAGE_SEARCH_STRONG_MARGIN",
                "IMAGE_SEARCH_WEAK_Z",
                "IMAGE_SEARCH_WEAK_MARGIN",
                "IMAGE_SEARCH_STRONG_SCORE",
                "IMAGE_SEARCH_WEAK_SCORE")
            .anyMatch(name -> env.get(name) != null && !env.get(name).isBlank());
    RelevanceThresholds thresholds =
        new RelevanceThresholds(
            decimal(env, "IMAGE_SEARCH_STRONG_Z", d.strongZ()),
            decimal(env, "IMAGE_SEARCH_STRONG_MARGIN", d.strongMargin()),
            decimal(env, "IMAGE_SEARCH_WEAK_Z", d.weakZ()),
            decimal(env, "IMAGE_SEARCH_WEAK_MARGIN", d.weakMargin()),
            decimal(env, "IMAGE_SEARCH_STRONG_SCORE", d.strongScore()),
            decimal(env, "IMAGE_SEARCH_WEAK_SCORE", d.weakScore()));
    return new AppConfig(
        StoreConfig.fromEnv(env),
        model.trim(),
        ModelLocation.cacheDirectory(env),
        ModelLocation.optimizedGraphs(env),
        WebSettings.defaults(),
        anySet ? Optional.of(thresholds) : Optional.empty(),
        (int) decimal(env, "IMAGE_SEARCH_QUERY_CACHE", 1024),
        examples(env.get("IMAGE_SEARCH_EXAMPLES")));
  }

  private static List<String> examples(String raw) {
    if (raw == null) {
      return List.of();
    }
    return Arrays.stream(raw.split("\\|")).map(String::strip).filter(e -> !e.isEmpty()).toList();
  }

  private static double decimal(Map<String, String> env, String name, double fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw new ImageSearchException(name + " must be a number, got '" + raw + "'");
    }
  }
}
