package dev.imagesearch.search;

import java.util.Map;

/**
 * What {@code index/<version>/manifest.json} says about one index version.
 *
 * @param version the version's name (the folder below {@code index/})
 * @param modelId the model that made the embeddings; a query model with another id is refused
 * @param dim embedding dimension D
 * @param count number of rows N
 * @param dtype {@code float16} or {@code float32}
 * @param createdAt ISO-8601 instant
 * @param fileSha256 file name (e.g. {@code embeddings.npy}) to hex sha256
 */
public record IndexManifest(
    String version,
    String modelId,
    int dim,
    int count,
    String dtype,
    String createdAt,
    Map<String, String> fileSha256) {}
