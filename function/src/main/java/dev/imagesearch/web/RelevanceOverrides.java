package dev.imagesearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.RelevanceThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Explicit relevance thresholds a model directory may carry as {@code relevance.json}. Normally
 * absent: the verdict is calibrated on the collection at publish time ({@code calibration.json} of
 * the index version, see {@code CalibratedJudge}). When present, it overrides the calibration:
 *
 * <pre>{"strong_z": 4.0, "strong_margin": 1.0, "weak_z": 2.5, "weak_margin": 0.25,
 *  "strong_score": 0.3, "weak_score": 0.25}</pre>
 *
 * Missing keys keep {@link RelevanceThresholds#DEFAULTS}; the {@code IMAGE_SEARCH_*_Z}, {@code
 * *_MARGIN} and {@code *_SCORE} variables override the file.
 */
final class RelevanceOverrides {
  static final String FILE = "relevance.json";

  private RelevanceOverrides() {}

  /** The thresholds of {@code modelDir/relevance.json}, or empty when there is none. */
  static Optional<RelevanceThresholds> of(Path modelDir) {
    Path file = modelDir.resolve(FILE);
    RelevanceThresholds d = RelevanceThresholds.DEFAULTS;
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      return Optional.of(
          new RelevanceThresholds(
              json.path("strong_z").asDouble(d.strongZ()),
              json.path("strong_margin").asDouble(d.strongMargin()),
              json.path("weak_z").asDouble(d.weakZ()),
              json.path("weak_margin").asDouble(d.weakMargin()),
              json.path("strong_score").asDouble(d.strongScore()),
              json.path("weak_score").asDouble(d.weakScore())));
    } catch (IOException | RuntimeException e) {
      throw new ImageSearchException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
