package dev.imagesearch.search;

import java.util.Map;
import java.util.Optional;

/**
 * What one index version measured at publish time about queries that should match nothing: for each
 * text tower (keyed by its model id, so a second tower adds an entry) the scores of generated
 * nonsense texts, and for "more like this" the scores of synthetic images drawn from the
 * collection's own spread. {@link CalibratedJudge} turns a query's scores into a verdict against
 * them.
 *
 * @param modelId the model whose image embeddings the index holds
 * @param texts per text tower id, how unrelated texts score
 * @param images how unrelated (synthetic) images score
 */
public record Calibration(String modelId, Map<String, QueryNull> texts, QueryNull images) {
  public Calibration {
    texts = Map.copyOf(texts);
  }

  /** The null of text tower {@code towerId}, if this calibration measured it. */
  public Optional<QueryNull> text(String towerId) {
    return Optional.ofNullable(texts.get(towerId));
  }
}
