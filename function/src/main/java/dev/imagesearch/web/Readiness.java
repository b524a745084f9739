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
 * @param relevance how verdicts are decided for the live index (calibrated, overrides, or defaults
 *     for an index without calibration), or null when no index is loaded
 */
public record Readiness(
    boolean ready,
    String modelName,
    String indexVersion,
    int collectionSize,
    String problem,
    boolean tinyModel,
    String relevance) {

  /** Readiness with no word on how verdicts are decided. */
  public Readiness(
      boolean ready,
      String modelName,
      String indexVersion,
      int collectionSize,
      String problem,
      boolean tinyModel) {
    this(ready, modelName, indexVersion, collectionSize, problem, tinyModel, null);
  }
}
