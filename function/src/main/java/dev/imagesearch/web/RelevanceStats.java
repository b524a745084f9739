package dev.imagesearch.web;

import dev.imagesearch.search.Judgement;
import dev.imagesearch.search.ScoreStats;
import java.util.Locale;

/**
 * The numbers the verdict was decided on, sent with every search ({@code query.stats} in the JSON).
 *
 * @param basis {@code calibrated} (against what unrelated queries reach on this collection,
 *     measured at publish time), {@code overrides} (explicit thresholds) or {@code defaults} (an
 *     index without calibration)
 * @param standing percentage of unrelated queries whose best image scores below this query's best
 *     (null when not calibrated)
 * @param spreadStanding percentage of unrelated queries whose best image stands less far from the
 *     crowd (best minus mean cosine) than this query's (null when not calibrated)
 * @param summary the standing in words, for people
 * @param bestScore the best hit's cosine
 * @param mean mean cosine over the whole collection
 * @param standardDeviation spread of the cosines over the whole collection
 * @param bestZ the best hit's z-score
 * @param chanceZ the z-score the best of this many unrelated images reaches by chance
 * @param margin {@code bestZ - chanceZ}
 */
public record RelevanceStats(
    String basis,
    Double standing,
    Double spreadStanding,
    String summary,
    double bestScore,
    double mean,
    double standardDeviation,
    double bestZ,
    double chanceZ,
    double margin) {

  static RelevanceStats of(ScoreStats s, Judgement j) {
    boolean calibrated = !Double.isNaN(j.bestStanding());
    return new RelevanceStats(
        j.basis(),
        calibrated ? HitPresenter.round(100 * j.bestStanding(), 1) : null,
        calibrated ? HitPresenter.round(100 * j.spreadStanding(), 1) : null,
        summary(j),
        HitPresenter.round(s.max(), 4),
        HitPresenter.round(s.mean(), 4),
        HitPresenter.round(s.standardDeviation(), 4),
        HitPresenter.round(s.bestZ(), 3),
        HitPresenter.round(s.chanceZ(), 3),
        HitPresenter.round(s.margin(), 3));
  }

  private static String summary(Judgement j) {
    if (Double.isNaN(j.bestStanding())) {
      return j.basis().equals(Judgement.OVERRIDES)
          ? "judged by fixed thresholds (relevance.json or IMAGE_SEARCH_* overrides)"
          : "judged by default thresholds: this index has no calibration yet";
    }
    if (j.bestStanding() >= 1) {
      return "the best image scores above every unrelated query tried on this collection";
    }
    return String.format(
        Locale.ROOT,
        "the best image scores above %s %% of unrelated queries tried on this collection",
        percent(j.bestStanding()));
  }

  /** 0.99612 as "99.6", never rounding up to a misleading "100". */
  static String percent(double fraction) {
    double p = Math.floor(fraction * 1000) / 10;
    return String.format(Locale.ROOT, "%.1f", p);
  }
}
