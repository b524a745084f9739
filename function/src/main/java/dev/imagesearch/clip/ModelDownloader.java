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
import java.util.Optional;

/**
 * Downloads a model folder (by default the public quantized {@code Xenova/clip-vit-base-patch32}
 * ONNX export) and checks every file against its pinned sha256 ({@link ModelPins}).
 *
 * <p>Safe to rerun: a file whose hash already matches is skipped; an interrupted download resumes
 * from its {@code .part} file with an HTTP range request; a finished file is moved into place
 * atomically, and a file that fails its checksum is deleted, so the folder never holds a
 * half-written or wrong model file. The only class that talks HTTP to the model host.
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
  }

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
    if (!allowUnpinned) {
      for (ModelPins.PinnedFile file : pins.files()) {
        if (file.sha256().isEmpty()) {
          throw new ImageSearchException(
              "no pinned sha256 for "
                  + file.path()
                  + " in the pin list: fill in "
                  + ModelPins.BUILT_IN
                  + " (or pass --pins FILE); until then `make model MODEL_ARGS=--allow-unpinned`"
                  + " downloads anyway and prints each file's sha256 to paste there");
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
      fetch(file, destination);
      downloaded++;
    }
    return new Summary(downloaded, skipped);
  }

  private boolean upToDate(Path file, Optional<String> pinned) {
    // Without a pin, an existing complete file (it was moved into place only after a full
    // download) is kept: reruns stay idempotent.
    return pinned.isEmpty() || pinned.get().equals(Sha256.hex(file));
  }

  private void fetch(ModelPins.PinnedFile file, Path destination) {
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
      if (file.sha256().isEmpty()) {
        log.println(
            "sha256 "
                + actual
                + " "
                + file.path()
                + " "
                + size
                + "   (unpinned: add to the pin list)");
      }
      Files.move(
          part, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
      throw offline(e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnresolvedAddressException
          || e.getCause() instanceof ConnectException) {
        throw offline(e);
      }
      throw new ImageSearchException(
          "download of " + url + " failed: " + e + " (rerun to resume from " + part + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageSearchException("download of " + url + " interrupted", e);
    }
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
