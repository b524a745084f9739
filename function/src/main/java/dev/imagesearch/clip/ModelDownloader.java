package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Downloads a model folder (by default the public quantized {@code Xenova/clip-vit-base-patch32}
 * ONNX export) and checks every file against its pinned sha256 ({@link ModelPins}).
 *
 * <p>Safe to rerun: a file whose hash already matches is skipped; an interrupted download resumes
 * from its {@code .part} file with an HTTP range request; a finished file is moved into place
 * atomically, and a file that fails its checksum is deleted, so the folder never holds a
 * half-written or wrong model file. The only class that talks HTTP to the model host.
 *
 * <p>A file whose sha256 is not yet in the pin list is checked against the host's own content
 * address for the pinned revision instead ({@link HubFileAddress}: the sha256 of a Git LFS file,
 * the Git blob id of any other), and its pin line is printed to be pasted into the list. A file for
 * which the host gives no such address is refused unless run with {@code --allow-unpinned}.
 *
 * <pre>{@code
 * ModelDownloader downloader =
 *     new ModelDownloader(ModelDownloader.defaultBaseUrl(pins, System.getenv("HF_ENDPOINT")), pins, System.out);
 * downloader.download(Path.of("work-data/model/clip-vit-base-patch32"), false);
 * }</pre>
 *
 * <p>Command line ({@code make model}): {@code java -cp image-search.jar
 * dev.imagesearch.clip.ModelDownloader [--target DIR] [--base-url URL] [--pins FILE]
 * [--multilingual] [--allow-unpinned]}; {@code HF_ENDPOINT} replaces the host {@code
 * https://huggingface.co}.
 */
public final class ModelDownloader {
  /**
   * The Hugging Face host; {@code HF_ENDPOINT} replaces it, as in Hugging Face's own tools (a
   * mirror, or a local server in tests), keeping each repository's {@code /resolve/<revision>/}
   * path.
   */
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  public static final String DEFAULT_REPOSITORY = "Xenova/clip-vit-base-patch32";
  public static final Path DEFAULT_TARGET = Path.of("work-data/model/clip-vit-base-patch32");

  /** Where the multilingual text tower's files come from ({@link ModelPins#multilingual()}). */
  public static final String MULTILINGUAL_REPOSITORY =
      "sentence-transformers/clip-ViT-B-32-multilingual-v1";

  private final URI baseUrl;
  private final ModelPins pins;
  private final PrintStream log;
  private final HttpClient http;
  private final HttpClient noRedirects;

  /** What a run did. */
  public record Summary(int downloaded, int skipped) {}

  public ModelDownloader(URI baseUrl, ModelPins pins, PrintStream log) {
    String base = baseUrl.toString();
    this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
    this.pins = pins;
    this.log = log;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(15))
            .build();
    // The hub's content address is on the answer that redirects to the storage host.
    this.noRedirects =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(15))
            .build();
  }

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  /**
   * {@code <endpoint>/Xenova/clip-vit-base-patch32/resolve/<revision>/}.
   *
   * @param endpoint {@code HF_ENDPOINT}, or null for {@link #DEFAULT_ENDPOINT}
   */
  public static URI defaultBaseUrl(ModelPins pins, String endpoint) {
    return resolveUrl(endpoint, DEFAULT_REPOSITORY, pins);
  }

  /** The multilingual tower's repository at its pinned revision. */
  public static URI multilingualBaseUrl(ModelPins pins, String endpoint) {
    return resolveUrl(endpoint, MULTILINGUAL_REPOSITORY, pins);
  }

  private static URI resolveUrl(String endpoint, String repository, ModelPins pins) {
    String host = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
    while (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    return URI.create(host + "/" + repository + "/resolve/" + pins.revision() + "/");
  }

  /**
   * Brings {@code target} up to date with the pin list.
   *
   * @param allowUnpinned download files that have no pinned checksum yet (their hash is printed)
   * @throws ImageSearchException when the host cannot be reached, a request fails, or a checksum
   *     does not match
   */
  public Summary download(Path target, boolean allowUnpinned) {
    Map<ModelPins.PinnedFile, HubFileAddress> addresses = new HashMap<>();
    if (!allowUnpinned) {
      for (ModelPins.PinnedFile file : pins.files()) {
        if (file.sha256().isEmpty() && !Files.isRegularFile(target.resolve(file.localPath()))) {
          addresses.put(file, addressOf(file));
        }
      }
    }
    int downloaded = 0;
    int skipped = 0;
    for (ModelPins.PinnedFile file : pins.files()) {
      Path destination = target.resolve(file.localPath());
      if (Files.isRegularFile(destination) && upToDate(destination, file.sha256())) {
        log.println("up to date: " + file.path());
        skipped++;
        continue;
      }
      fetch(file, destination, Optional.ofNullable(addresses.get(file)));
      downloaded++;
    }
    return new Summary(downloaded, skipped);
  }

  /**
   * The host's content address of an unpinned file at the pinned revision; refuses when there is
   * none, or when the host resolved the revision to another commit.
   */
  private HubFileAddress addressOf(ModelPins.PinnedFile file) {
    URI url = baseUrl.resolve(file.path());
    HttpResponse<Void> head;
    try {
      head =
          noRedirects.send(
              HttpRequest.newBuilder(url)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofMinutes(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (IOException | InterruptedException | UnresolvedAddressException e) {
      throw failure(e, "HEAD " + url, "");
    }
    if (head.statusCode() == 404) {
      throw new ImageSearchException(
          "HEAD "
              + url
              + " returned HTTP 404: no "
              + file.path()
              + " at revision "
              + pins.revision()
              + "; check the revision line of the pin list against the repository's commits");
    }
    if (head.statusCode() >= 400) {
      throw new ImageSearchException("HEAD " + url + " returned HTTP " + head.statusCode());
    }
    HubFileAddress address =
        HubFileAddress.from(head.headers())
            .orElseThrow(
                () ->
                    new ImageSearchException(
                        "no pinned sha256 for "
                            + file.path()
                            + " in the pin list, and "
                            + url.getHost()
                            + " gives no checksum for it: fill in "
                            + ModelPins.BUILT_IN
                            + " (or pass --pins FILE); until then `make model"
                            + " MODEL_ARGS=--allow-unpinned` downloads anyway and prints each"
                            + " file's sha256 to paste there"));
    String revision = pins.revision().toLowerCase(java.util.Locale.ROOT);
    if (COMMIT.matcher(revision).matches()
        && address.commit().isPresent()
        && !address.commit().get().equalsIgnoreCase(revision)) {
      throw new ImageSearchException(
          url.getHost()
              + " answered for commit "
              + address.commit().get()
              + ", not the pinned revision "
              + revision
              + "; nothing was downloaded");
    }
    return address;
  }

  private boolean upToDate(Path file, Optional<String> pinned) {
    // Without a pin, an existing complete file (it was moved into place only after a full
    // download) is kept: reruns stay idempotent.
    return pinned.isEmpty() || pinned.get().equals(Sha256.hex(file));
  }

  private void fetch(
      ModelPins.PinnedFile file, Path destination, Optional<HubFileAddress> hubAddress) {
    URI url = baseUrl.resolve(file.path());
    Path part = destination.resolveSibling(destination.getFileName() + ".part");
    try {
      Files.createDirectories(destination.getParent());
      long have = Files.isRegularFile(part) ? Files.size(part) : 0;
      HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30));
      if (have > 0) {
        request.header("Range", "bytes=" + have + "-");
      }
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      boolean resumed = status == 206 && have > 0;
      if (status == 416 && have > 0) {
        // The part file already holds every byte: check it below.
        response.body().close();
        resumed = true;
      } else if (status != 200 && !resumed) {
        response.body().close();
        throw new ImageSearchException("GET " + url + " returned HTTP " + status);
      } else {
        log.println((resumed ? "resuming at byte " + have + ": " : "downloading: ") + url);
        try (InputStream body = response.body();
            OutputStream out =
                Files.newOutputStream(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
          body.transferTo(out);
        }
      }
      long size = Files.size(part);
      if (file.size().isPresent() && file.size().getAsLong() != size) {
        Files.deleteIfExists(part);
        throw new ImageSearchException(
            "size mismatch for "
                + file.path()
                + " from "
                + url
                + ": expected "
                + file.size().getAsLong()
                + " bytes, got "
                + size
                + "; the download was deleted, nothing was installed");
      }
      String actual = Sha256.hex(part);
      if (file.sha256().isPresent() && !file.sha256().get().equals(actual)) {
        Files.deleteIfExists(part);
        throw new ImageSearchException(
            "checksum mismatch for "
                + file.path()
                + " from "
                + url
                + ": expected sha256 "
                + file.sha256().get()
                + ", got "
                + actual
                + "; the download was deleted, nothing was installed");
      }
      if (hubAddress.isPresent()) {
        checkAgainstHost(file, url, part, size, actual, hubAddress.get());
      }
      if (file.sha256().isEmpty()) {
        log.println(
            "sha256 "
                + actual
                + " "
                + file.path()
                + " "
                + size
                + (hubAddress.isPresent()
                    ? "   (matches " + url.getHost() + "'s " + hubAddress.get().describe()
                    : "   (not checked")
                + "; add to the pin list)");
      }
      Files.move(
          part, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | InterruptedException | UnresolvedAddressException e) {
      throw failure(e, "download of " + url, " (rerun to resume from " + part + ")");
    }
  }

  /** Deletes the download and throws unless it is the file the host's address names. */
  private static void checkAgainstHost(
      ModelPins.PinnedFile file,
      URI url,
      Path part,
      long size,
      String sha256,
      HubFileAddress address)
      throws IOException {
    String actual = address.digestOf(part, sha256);
    boolean sizeMatches = address.size().isEmpty() || address.size().getAsLong() == size;
    if (!sizeMatches || !address.hex().equals(actual)) {
      Files.deleteIfExists(part);
      throw new ImageSearchException(
          "checksum mismatch for "
              + file.path()
              + " from "
              + url
              + ": the host gives "
              + address.describe()
              + (address.size().isPresent() ? " (" + address.size().getAsLong() + " bytes)" : "")
              + ", the download has "
              + actual
              + " ("
              + size
              + " bytes); the download was deleted, nothing was installed");
    }
  }

  /** A request that did not complete: offline, interrupted, or failed for another reason. */
  private ImageSearchException failure(Exception e, String request, String advice) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new ImageSearchException(request + " interrupted", e);
    }
    if (e instanceof ConnectException
        || e instanceof HttpConnectTimeoutException
        || e instanceof UnresolvedAddressException
        || e.getCause() instanceof UnresolvedAddressException
        || e.getCause() instanceof ConnectException) {
      return offline(e);
    }
    return new ImageSearchException(request + " failed: " + e + advice, e);
  }

  private ImageSearchException offline(Exception e) {
    // HttpClient's ConnectException often has no message, nor has its cause when the port is
    // closed; then the class says what happened.
    String reason =
        e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException) {
        reason = "host name does not resolve";
        break;
      }
      if (t.getMessage() != null) {
        reason = t.getMessage();
        break;
      }
    }
    return new ImageSearchException(
        "cannot reach "
            + baseUrl.getHost()
            + ": "
            + reason
            + " (no network? HF_ENDPOINT names a mirror of huggingface.co)",
        e);
  }

  /** {@code make model}: downloads into {@code --target} (default {@link #DEFAULT_TARGET}). */
  public static void main(String[] args) {
    Path target = DEFAULT_TARGET;
    String baseUrl = null;
    Path pinsFile = null;
    boolean allowUnpinned = false;
    boolean multilingual = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--target" -> target = Path.of(value(args, ++i));
        case "--base-url" -> baseUrl = value(args, ++i);
        case "--pins" -> pinsFile = Path.of(value(args, ++i));
        case "--allow-unpinned" -> allowUnpinned = true;
        case "--multilingual" -> multilingual = true;
        default -> {
          System.err.println(
              "usage: ModelDownloader [--target DIR] [--base-url URL] [--pins FILE]"
                  + " [--allow-unpinned] [--multilingual]");
          System.exit(2);
        }
      }
    }
    try {
      // --multilingual: the second text tower, from its own repository, into the same folder.
      ModelPins pins =
          pinsFile != null
              ? ModelPins.read(pinsFile)
              : multilingual ? ModelPins.multilingual() : ModelPins.builtIn();
      String endpoint = System.getenv("HF_ENDPOINT");
      URI base =
          baseUrl != null
              ? URI.create(baseUrl)
              : multilingual ? multilingualBaseUrl(pins, endpoint) : defaultBaseUrl(pins, endpoint);
      Summary summary = new ModelDownloader(base, pins, System.out).download(target, allowUnpinned);
      System.out.printf(
          "model ready in %s (%d downloaded, %d already up to date)%n",
          target, summary.downloaded(), summary.skipped());
    } catch (ImageSearchException e) {
      System.err.println("make model: " + e.getMessage());
      System.exit(1);
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println("missing value after " + args[i - 1]);
      System.exit(2);
    }
    return args[i];
  }
}
