package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.synth.Scene;
import dev.imagesearch.synth.SceneQuery;
import dev.imagesearch.synth.ShapeColour;
import dev.imagesearch.synth.ShapeKind;
import dev.imagesearch.synth.ShapeSize;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The acceptance bar of honest relevance on one gallery, as a confusion table: every
 * count-size-colour-shape description of the scene grammar (present when the gallery holds a
 * matching scene, absent when not) and {@link #NONSENSE}, each judged strong, weak or none.
 *
 * <ul>
 *   <li>at least 95 % of present descriptions strong;
 *   <li>no nonsense strong, at least 90 % of it none;
 *   <li>at most 10 % of absent descriptions strong.
 * </ul>
 */
public final class RelevanceConfusion {
  /**
   * At least 50 texts the galleries of coloured shapes cannot answer, none of them naming a colour,
   * shape, size or count of the grammar: word salad, keyboard mash, other languages' words,
   * punctuation and digits.
   */
  public static final List<String> NONSENSE =
      List.of(
          // word salad and unrelated subjects
          "banana telephone window",
          "xylophone quantum",
          "income tax return",
          "democracy and freedom",
          "piano keyboard music",
          "ocean waves crashing",
          "quantum chromodynamics",
          "lorem ipsum dolor",
          "a bowl of soup",
          "a photo of a dog",
          "the eiffel tower at night",
          "a cat sleeping on a sofa",
          "mountains",
          "sunset beach",
          "zebra",
          "a car",
          "hello world",
          "the quick brown fox",
          "yesterday tomorrow never",
          "a spreadsheet of numbers",
          "elephant umbrella sandwich",
          "carpet volcano whisper",
          "tuesday invoice pancake",
          // keyboard mash
          "qwzx blorf",
          "zzzz qqqq",
          "asdf",
          "asdfghjkl",
          "qwertyuiop",
          "zxcvbnm",
          "jjjjjjj kkkkk",
          "hjkl hjkl hjkl",
          "plmokn ijbuhv",
          "xkcd qwop",
          // other languages
          "der hund schläft",
          "la maison du village",
          "el perro come",
          "il treno veloce",
          "o livro velho",
          "de fiets staat buiten",
          "kot na dachu",
          "ich bin müde",
          "je ne sais pas",
          "mañana por la mañana",
          "grazie mille",
          "犬が走る",
          "кошка спит",
          "γάτα στο σπίτι",
          // punctuation and digits
          "!!!",
          "??? !!! ...",
          "---",
          "@#$%^&*",
          "(((())))",
          ";;;;",
          "...",
          "12345",
          "3.14159",
          "#$%");

  /** The null's quantiles of one calibration, as the docs quote them. */
  public static String describe(dev.imagesearch.search.QueryNull n) {
    return String.format(
        Locale.ROOT,
        "best cosine of %d unrelated queries: median %.3f, 90 %% %.3f, 98 %% %.3f, max %.3f;"
            + " spread median %.3f",
        n.best().size(),
        n.best().quantile(0.5),
        n.best().quantile(0.9),
        n.best().quantile(0.98),
        n.best().quantile(1),
        n.spread().quantile(0.5));
  }

  public enum Group {
    PRESENT,
    ABSENT,
    NONSENSE
  }

  private final Map<Group, Map<String, Integer>> table = new EnumMap<>(Group.class);
  private final Map<Group, List<String>> strong = new EnumMap<>(Group.class);
  private final Map<Group, List<String>> notNone = new EnumMap<>(Group.class);

  /**
   * Judges every description and nonsense text with {@code verdict} (text to "strong", "weak" or
   * "none") against a gallery of {@code scenes}.
   */
  public static RelevanceConfusion measure(List<Scene> scenes, Function<String, String> verdict) {
    RelevanceConfusion c = new RelevanceConfusion();
    for (String text : descriptions()) {
      SceneQuery query = SceneQuery.parse(text);
      boolean held = scenes.stream().anyMatch(query::matches);
      c.add(held ? Group.PRESENT : Group.ABSENT, text, verdict.apply(text));
    }
    for (String text : NONSENSE) {
      c.add(Group.NONSENSE, text, verdict.apply(text));
    }
    return c;
  }

  /** Every count-size-colour-shape description of the scene grammar ("two small pink circles"). */
  static List<String> descriptions() {
    List<String> texts = new ArrayList<>();
    for (String count : List.of("a", "two", "three")) {
      for (ShapeSize size : ShapeSize.values()) {
        for (ShapeColour colour : ShapeColour.values()) {
          for (ShapeKind shape : ShapeKind.values()) {
            String noun = count.equals("a") ? shape.singular() : shape.plural();
            texts.add(String.join(" ", count, size.word(), colour.word(), noun));
          }
        }
      }
    }
    return texts;
  }

  private void add(Group group, String text, String verdict) {
    table.computeIfAbsent(group, g -> new LinkedHashMap<>()).merge(verdict, 1, Integer::sum);
    if (verdict.equals("strong")) strong.computeIfAbsent(group, g -> new ArrayList<>()).add(text);
    if (!verdict.equals("none")) notNone.computeIfAbsent(group, g -> new ArrayList<>()).add(text);
  }

  public int count(Group group, String verdict) {
    return table.getOrDefault(group, Map.of()).getOrDefault(verdict, 0);
  }

  public int total(Group group) {
    return table.getOrDefault(group, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The table as text, one row per group. */
  public String format(String title) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%n%s%n%-9s %6s %6s %6s %6s%n",
            title,
            "",
            "strong",
            "weak",
            "none",
            "total"));
    for (Group g : Group.values()) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-9s %6d %6d %6d %6d%n",
              g.name().toLowerCase(Locale.ROOT),
              count(g, "strong"),
              count(g, "weak"),
              count(g, "none"),
              total(g)));
    }
    s.append("absent but strong: ")
        .append(strong.getOrDefault(Group.ABSENT, List.of()))
        .append('\n');
    s.append("nonsense not none: ")
        .append(notNone.getOrDefault(Group.NONSENSE, List.of()))
        .append('\n');
    return s.toString();
  }

  /** The acceptance bar. */
  public void assertAcceptance(String title) {
    System.out.print(format(title));
    int present = total(Group.PRESENT);
    int absent = total(Group.ABSENT);
    int nonsense = total(Group.NONSENSE);
    assertAll(
        () -> assertTrue(present >= 100, "only " + present + " present descriptions"),
        () -> assertTrue(absent >= 10, "only " + absent + " absent descriptions"),
        () -> assertTrue(nonsense >= 50, "only " + nonsense + " nonsense texts"),
        () ->
            assertTrue(
                count(Group.PRESENT, "strong") >= Math.ceil(0.95 * present),
                count(Group.PRESENT, "strong") + " of " + present + " present strong"),
        () ->
            assertTrue(
                count(Group.NONSENSE, "strong") == 0,
                "nonsense strong: " + strong.get(Group.NONSENSE)),
        () ->
            assertTrue(
                count(Group.NONSENSE, "none") >= Math.ceil(0.9 * nonsense),
                "nonsense not none: " + notNone.get(Group.NONSENSE)),
        () ->
            assertTrue(
                count(Group.ABSENT, "strong") <= Math.floor(0.1 * absent),
                "absent strong: " + strong.get(Group.ABSENT)));
  }
}
