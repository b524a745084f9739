package dev.imagesearch.search;

/**
 * One term of a query expression: a text to embed and its signed weight.
 *
 * @param text the words of the term, as typed (e.g. {@code "red circle"})
 * @param weight signed weight: {@code -1} for {@code "- people"}, {@code 2} for {@code "2:cat"}
 */
public record QueryTerm(String text, float weight) {}
