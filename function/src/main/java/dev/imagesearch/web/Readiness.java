package dev.imagesearch.web;

/**
 * What {@code /readyz} and the page footer report.
 *
 * @param ready true when a query can be answered now
 * @param modelName the model's id, or null when not loaded
 * @param indexVersion the live index version, or null
 * @param collectionSize images in the live index (0 when none)
 * @param problem why it is not ready; when ready, what failed with the newest index state while an
 *     older version keeps serving (null when all is well)
 * @param tinyModel whether the built-in test model is serving
 */
public record Readiness(
    boolean ready,
    String modelName,
    String indexVersion,
    int collectionSize,
    String problem,
    boolean tinyModel) {}
