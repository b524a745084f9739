package dev.imagesearch.web;

import java.util.List;

/**
 * The answer to one search, shared by the JSON API and the page.
 *
 * @param query the query as understood (normalized), or null for "more like this"
 * @param similarTo the key "more like this" started from, or null
 * @param verdict {@code strong}, {@code weak} or {@code none}
 * @param stats the score statistics the verdict was decided on
 * @param total number of images ranked (the whole collection)
 * @param k page size asked for
 * @param offset rank offset of this page
 * @param hits the page of hits
 * @param timings where the time went
 * @param indexVersion the index version that answered
 * @param tower the text tower that embedded the query ("english" or "multilingual"), null for "more
 *     like this"
 */
public record SearchOutcome(
    String query,
    String similarTo,
    String verdict,
    RelevanceStats stats,
    int total,
    int k,
    int offset,
    List<HitView> hits,
    Timings timings,
    String indexVersion,
    String tower) {}
