package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.browser.HeadlessChromium;
import dev.imagesearch.server.HttpServerMain;
import dev.imagesearch.server.ServerSettings;
import dev.imagesearch.synth.Scene;
import dev.imagesearch.synth.ShapeColour;
import dev.imagesearch.synth.ShapeKind;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.SearchHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's search in a real headless Chromium against the real server (tiny model, demo gallery):
 * type, submit, see the right images actually load, follow "more like this" and the next page, and
 * see markup in a query shown as text.
 */
class BrowserSearchTest {
  @TempDir static Path profile;
  private static DemoCollection.Built demo;
  private static Bootstrap.Wired wired;
  private static HttpServerMain server;
  private static ChromeDriver browser;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    browser = HeadlessChromium.start(profile);
    demo = DemoCollection.local();
    wired = Bootstrap.webApp(demo.env());
    wired.watcher().poll();
    server =
        HttpServerMain.start(new SearchHandler(wired::app), new ServerSettings("127.0.0.1", 0, 4));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (server != null) server.close();
    if (wired != null) wired.watcher().close();
  }

  private static void search(String text) {
    browser.get(base + "/");
    WebElement box = browser.findElement(By.id("q"));
    box.clear();
    box.sendKeys(text);
    box.submit();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(
            d ->
                !d.findElements(By.id("summary")).isEmpty()
                    || !d.findElements(By.cssSelector(".notice.error")).isEmpty());
  }

  private static List<WebElement> hits() {
    return browser.findElements(By.cssSelector("li.hit"));
  }

  private static String keyOf(WebElement hit) {
    return hit.findElement(By.cssSelector(".key")).getAttribute("title");
  }

  private static String rankOf(WebElement hit) {
    return hit.findElement(By.cssSelector(".rank")).getText();
  }

  @Test
  void threeRedCirclesComeFirstAndTheirImagesLoad() {
    search("three red circles");
    List<WebElement> hits = hits();
    assertEquals(24, hits.size(), "a full first page");
    long inGallery =
        demo.sceneByKey().values().stream()
            .filter(
                s ->
                    s.colour() == ShapeColour.RED
                        && s.shape() == ShapeKind.CIRCLE
                        && s.count() == 3)
            .count();
    assertTrue(inGallery >= 1, "the demo gallery has images of three red circles");
    // Every such image of the gallery (up to three) comes before anything else.
    for (WebElement hit : hits.subList(0, (int) Math.min(3, inGallery))) {
      Scene scene = demo.scene(keyOf(hit));
      String what = keyOf(hit) + " is " + scene.caption();
      assertEquals(ShapeColour.RED, scene.colour(), what);
      assertEquals(ShapeKind.CIRCLE, scene.shape(), what);
      assertEquals(3, scene.count(), what);
    }
    // The first row is in view, so lazy loading has fetched it: each decoded to real pixels.
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d -> {
              for (WebElement img : d.findElements(By.cssSelector("li.hit img")).subList(0, 4)) {
                Object width =
                    browser.executeScript(
                        "return arguments[0].complete && arguments[0].naturalWidth", img);
                if (!(width instanceof Number n) || n.intValue() <= 0) return false;
              }
              return true;
            });
    assertEquals("three red circles", browser.findElement(By.id("q")).getDomProperty("value"));
    assertEquals(
        DemoCollection.COUNT + " images", browser.findElement(By.id("collection")).getText());
  }

  @Test
  void moreLikeThisAndNextPageWork() {
    search("a large yellow star");
    String firstKey = keyOf(hits().get(0));
    hits().get(0).findElement(By.cssSelector("a.similar")).click();
    assertTrue(browser.findElement(By.cssSelector(".mode")).getText().contains(firstKey));
    List<WebElement> alike = hits();
    assertEquals(24, alike.size());
    assertFalse(
        alike.stream().anyMatch(h -> keyOf(h).equals(firstKey)), "the image itself is left out");

    browser.findElement(By.cssSelector("a[rel=next]")).click();
    String summary = browser.findElement(By.id("summary")).getText();
    assertTrue(summary.startsWith("Results 25–48 of " + (DemoCollection.COUNT - 1)), summary);
    assertEquals("#25", rankOf(hits().get(0)));
    browser.findElement(By.cssSelector("a[rel=prev]")).click();
    assertEquals("#1", rankOf(hits().get(0)));
  }

  /**
   * A first visit shows a sample of the collection, each image with "more like this", and example
   * queries; following one gives a plainly worded verdict.
   */
  @Test
  void firstVisitShowsASampleAndExampleQueries() {
    browser.get(base + "/");
    List<WebElement> sample = browser.findElements(By.cssSelector("#sample li.hit"));
    assertEquals(12, sample.size(), "a sample of the collection");
    for (WebElement tile : sample) {
      assertTrue(demo.sceneByKey().containsKey(keyOf(tile)), keyOf(tile) + " is in the gallery");
    }
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d ->
                browser
                    .executeScript(
                        "return arguments[0].complete && arguments[0].naturalWidth > 0",
                        d.findElement(By.cssSelector("#sample img")))
                    .equals(Boolean.TRUE));
    List<String> examples =
        browser.findElements(By.cssSelector("#examples a.example")).stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(
        List.of("three red circles", "a large yellow star", "red circles - small"), examples);

    String sampled = keyOf(sample.get(3));
    sample.get(3).findElement(By.cssSelector("a.similar")).click();
    assertTrue(browser.findElement(By.cssSelector(".mode")).getText().contains(sampled));
    assertEquals("Good matches", browser.findElement(By.id("verdict")).getText());

    browser.get(base + "/");
    browser.findElement(By.linkText("a large yellow star")).click();
    assertEquals("a large yellow star", browser.findElement(By.id("q")).getDomProperty("value"));
    assertEquals("Good matches", browser.findElement(By.id("verdict")).getText());
    String standing = browser.findElement(By.id("standing")).getText();
    assertTrue(standing.startsWith("The best image scores above"), standing);
    assertTrue(
        hits().get(0).findElement(By.cssSelector(".relevance")).getText().startsWith("above "));
  }

  @Test
  void aQueryTheCollectionCannotAnswerSaysSo() {
    search("quantum chromodynamics");
    String verdict = browser.findElement(By.id("verdict")).getText();
    assertTrue(
        verdict.equals(
                "No good match for \u201cquantum chromodynamics\u201d. These are merely the closest"
                    + " images.")
            || verdict.startsWith(
                "Only weak matches: nothing here looks much like \u201cquantum chromodynamics\u201d"),
        verdict);
    search("asdfghjkl");
    assertEquals(
        "No good match for \u201casdfghjkl\u201d. These are merely the closest images.",
        browser.findElement(By.id("verdict")).getText());
    assertEquals(24, hits().size(), "the closest images are still shown");
  }

  @Test
  void markupInAQueryIsShownAsText() {
    String evil = "<script>alert(1)</script>";
    search(evil);
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
    assertEquals(evil, browser.findElement(By.id("q")).getDomProperty("value"));
    assertTrue(browser.getTitle().startsWith(evil), browser.getTitle());
    assertEquals(0, browser.findElements(By.tagName("script")).size());
  }
}
