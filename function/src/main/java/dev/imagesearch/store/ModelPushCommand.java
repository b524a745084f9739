package dev.imagesearch.store;

import dev.imagesearch.EnvFile;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code image-search model push --from DIR --to s3://bucket/models/NAME/}: puts a model folder
 * (the layout {@code make model} downloads) where the EC2 service and Lambda fetch it. Every file
 * is uploaded, then read back from the bucket and its sha256 compared with the local file's, so a
 * truncated or altered upload is caught here, not as a broken model at the service's next start.
 * Objects below the prefix that the folder no longer has are removed, so the bucket holds exactly
 * the folder. Credentials, region and endpoint as for {@code index} (environment or {@code .env}).
 */
@Command(
    name = "push",
    description =
        "Upload a model folder to s3://bucket/models/NAME/ and check every file's sha256 there.",
    mixinStandardHelpOptions = true)
public final class ModelPushCommand implements Callable<Integer> {
  /** Files a model folder must have to be served (ModelDirectory reads these). */
  private static final List<String> REQUIRED =
      List.of("config.json", "tokenizer.json", "preprocessor_config.json");

  @Option(names = "--from", paramLabel = "DIR", required = true, description = "Model folder.")
  Path from;

  @Option(
      names = "--to",
      paramLabel = "s3://bucket/models/NAME/",
      required = true,
      description = "Where the service's IMAGE_SEARCH_MODEL points.")
  String to;

  Map<String, String> env = System.getenv();
  Path envFile = Path.of(".env");
  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    try {
      push();
      return 0;
    } catch (ImageSearchException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  private void push() {
    Map<String, String> files = localFiles();
    StoreLocation.S3 target = target();
    String name = target.prefix().substring(target.prefix().lastIndexOf("models/") + 7);
    Map<String, String> copy = new HashMap<>(EnvFile.environment(envFile, env));
    copy.put("IMAGE_SEARCH_STORE", "s3://" + target.bucket() + "/" + target.prefix());
    copy.remove("BUCKET_NAME");
    BlobStore store = BlobStores.create(StoreConfig.fromEnv(copy));
    long bytes = 0;
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path local = from.resolve(file.getKey());
      store.write(file.getKey(), local);
      String remote = remoteSha256(store, file.getKey());
      if (!remote.equals(file.getValue())) {
        throw new ImageSearchException(
            "s3://"
                + target.bucket()
                + "/"
                + target.prefix()
                + file.getKey()
                + " has sha256 "
                + remote
                + " after upload, but "
                + local
                + " has "
                + file.getValue()
                + ": push again");
      }
      long size = size(local);
      bytes += size;
      out.printf(
          Locale.ROOT,
          "pushed %s (%.1f MB, sha256 %s, checked)%n",
          file.getKey(),
          size / 1e6,
          file.getValue());
    }
    for (String key : store.list("")) {
      if (!files.containsKey(key)) {
        store.delete(key);
        out.println("removed " + key + " (not in " + from + ")");
      }
    }
    out.printf(
        Locale.ROOT,
        "model %s in s3://%s/%s: %d files, %.1f MB, every sha256 checked%n",
        name.substring(0, name.length() - 1),
        target.bucket(),
        target.prefix(),
        files.size(),
        bytes / 1e6);
  }

  /** Relative path (with '/') to sha256 of every file of the folder, dotfiles left out. */
  private Map<String, String> localFiles() {
    if (!Files.isDirectory(from)) {
      throw new ImageSearchException(
          "--from " + from + " is not a folder (make model downloads the model)");
    }
    for (String required : REQUIRED) {
      if (!Files.isRegularFile(from.resolve(required))) {
        throw new ImageSearchException(
            "--from " + from + " is not a model folder: it has no " + required);
      }
    }
    if (!Files.isRegularFile(from.resolve("onnx/text_model_quantized.onnx"))
        && !Files.isRegularFile(from.resolve("onnx/text_model.onnx"))) {
      throw new ImageSearchException(
          "--from "
              + from
              + " has no text tower (onnx/text_model_quantized.onnx or text_model.onnx)");
    }
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String relative = from.relativize(file).toString().replace('\\', '/');
        if (!relative.startsWith(".") && !relative.contains("/.")) {
          files.put(relative, Sha256.hex(file));
        }
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + from + ": " + e.getMessage(), e);
    }
    return files;
  }

  private StoreLocation.S3 target() {
    StoreLocation location = StoreLocation.parse(to, "--to");
    if (!(location instanceof StoreLocation.S3 s3)
        || !s3.prefix().matches("(.*/)?models/[^/]+/?")) {
      throw new ImageSearchException(
          "--to must look like s3://bucket/models/NAME/ (where IMAGE_SEARCH_MODEL points), got '"
              + to
              + "'");
    }
    return s3.prefix().endsWith("/") ? s3 : new StoreLocation.S3(s3.bucket(), s3.prefix() + "/");
  }

  private static String remoteSha256(BlobStore store, String key) {
    try (Sha256.HashingStream in = new Sha256.HashingStream(store.open(key))) {
      in.transferTo(OutputStream.nullOutputStream());
      return in.hex();
    } catch (IOException e) {
      throw new ImageSearchException("cannot read back " + key + ": " + e.getMessage(), e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
