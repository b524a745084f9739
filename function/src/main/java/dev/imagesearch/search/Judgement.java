package dev.imagesearch.search;

/**
 * A query's verdict and what it rests on.
 *
 * @param verdict strong, weak or none
 * @param basis {@code calibrated} (measured on this collection at publish time), {@code overrides}
 *     (explicit thresholds from {@code relevance.json} or the environment) or {@code defaults} (an
 *     index without calibration, served with generic thresholds)
 * @param bestStanding fraction of unrelated queries whose best cosine is below this query's (NaN
 *     when not calibrated)
 * @param spreadStanding fraction of unrelated queries whose spread (best minus mean cosine) is
 *     below this query's (NaN when not calibrated)
 */
public record Judgement(Verdict verdict, String basis, double bestStanding, double spreadStanding) {
  public static final String CALIBRATED = "calibrated";
  public static final String OVERRIDES = "overrides";
  public static final String DEFAULTS = "defaults";

  /** A verdict by thresholds, with no standing against unrelated queries. */
  public static Judgement byThresholds(Verdict verdict, String basis) {
    return new Judgement(verdict, basis, Double.NaN, Double.NaN);
  }
}
