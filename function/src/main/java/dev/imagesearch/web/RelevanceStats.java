package dev.imagesearch.web;

/**
 * The numbers the verdict was decided on, sent with every search so that an operator can
 * recalibrate the thresholds from real queries (see {@code RelevanceThresholds}).
 *
 * @param bestScore the best hit's cosine
 * @param mean mean cosine over the whole collection
 * @param standardDeviation spread of the cosines over the whole collection
 * @param bestZ the best hit's z-score
 * @param chanceZ the z-score the best of this many unrelated images reaches by chance
 * @param margin {@code bestZ - chanceZ}
 */
public record RelevanceStats(
    double bestScore,
    double mean,
    double standardDeviation,
    double bestZ,
    double chanceZ,
    double margin) {}
