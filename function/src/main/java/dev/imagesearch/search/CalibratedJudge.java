package dev.imagesearch.search;

/**
 * The verdict from a {@link Calibration}: a query is judged by how many unrelated queries it beats
 * on this collection, for its own kind (texts through this text tower, or images).
 *
 * <ul>
 *   <li>{@link Verdict#STRONG}: its best cosine beats {@value #STRONG_STANDING_PERCENT} % of
 *       unrelated queries, and its best image stands from the crowd (best minus mean cosine) at
 *       least as far as a typical unrelated query's does (beats half of them);
 *   <li>{@link Verdict#WEAK}: its best cosine beats {@value #WEAK_STANDING_PERCENT} % of them;
 *   <li>{@link Verdict#NONE} otherwise.
 * </ul>
 *
 * Each hit's relevance is the percentage of unrelated queries whose best image scores below that
 * hit. Both levels are fractions of a measured distribution, not cosines: the same two numbers
 * serve any model and collection (see "Honest relevance" in {@code docs/architecture.md} for the
 * measurements that chose them).
 */
public final class CalibratedJudge implements RelevanceJudge {
  static final double STRONG_STANDING_PERCENT = 98;
  static final double WEAK_STANDING_PERCENT = 90;
  static final double STRONG_SPREAD_STANDING = 0.5;

  private final QueryNull text;
  private final QueryNull image;

  public CalibratedJudge(QueryNull text, QueryNull image) {
    this.text = text;
    this.image = image;
  }

  /** The judge for text tower {@code towerId}, or empty when the calibration did not measure it. */
  public static java.util.Optional<CalibratedJudge> of(Calibration calibration, String towerId) {
    return calibration.text(towerId).map(t -> new CalibratedJudge(t, calibration.images()));
  }

  @Override
  public Judgement judge(ScoreStats stats, QueryKind kind) {
    if (stats.count() == 0) {
      return new Judgement(Verdict.NONE, Judgement.CALIBRATED, 0, 0);
    }
    QueryNull n = nullOf(kind);
    double best = n.best().standing(stats.max());
    double spread = n.spread().standing((double) stats.max() - stats.mean());
    Verdict verdict;
    if (best * 100 >= STRONG_STANDING_PERCENT && spread >= STRONG_SPREAD_STANDING) {
      verdict = Verdict.STRONG;
    } else if (best * 100 >= WEAK_STANDING_PERCENT) {
      verdict = Verdict.WEAK;
    } else {
      verdict = Verdict.NONE;
    }
    return new Judgement(verdict, Judgement.CALIBRATED, best, spread);
  }

  @Override
  public float relevance(float score, ScoreStats stats, QueryKind kind) {
    return (float) (100 * nullOf(kind).best().standing(score));
  }

  private QueryNull nullOf(QueryKind kind) {
    return kind == QueryKind.IMAGE ? image : text;
  }
}
