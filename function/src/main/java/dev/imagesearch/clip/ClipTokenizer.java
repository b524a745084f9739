package dev.imagesearch.clip;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CLIP's byte-level BPE tokenizer, run by DJL's binding of Hugging Face {@code tokenizers} from a
 * {@code tokenizer.json} file, offline. The only class that catches the tokenizer library's errors.
 *
 * <p>Encodes with special tokens ({@code <|startoftext|>} first, {@code <|endoftext|>} last),
 * truncated to 77 tokens with {@code <|endoftext|>} kept last, and never padded: the text encoder
 * feeds only the real tokens.
 *
 * <p><b>Native library.</b> DJL extracts {@code libtokenizers.so} from its jar into {@code
 * $DJL_CACHE_DIR/tokenizers/} (default {@code ~/.djl.ai}, or {@code java.io.tmpdir/.djl.ai} when
 * the home folder is read-only, as on Lambda, where that is {@code /tmp/.djl.ai}). {@link
 * #prepareNativeEnvironment()}, called once at process start ({@code Main.main}, the Lambda
 * handler's class initialisation), turns on DJL's offline mode (no hub look-ups ever) and, when the
 * home folder is not writable and no cache dir is set, points {@code DJL_CACHE_DIR} at {@code
 * java.io.tmpdir/djl-cache} explicitly, so the location is predictable and bounded. Loading a
 * tokenizer sets nothing process-wide.
 *
 * <pre>{@code
 * ClipTokenizer tokenizer = ClipTokenizer.load(Path.of("model/tokenizer.json"));
 * long[] ids = tokenizer.encode("a photo of a cat"); // [49406, 320, 1125, 539, 320, 2368, 49407]
 * }</pre>
 */
public final class ClipTokenizer implements AutoCloseable {
  /** CLIP's context length. */
  public static final int MAX_LENGTH = 77;

  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final long startOfTextId;
  private final long endOfTextId;

  private ClipTokenizer(Path file, HuggingFaceTokenizer tokenizer, long sot, long eot) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.startOfTextId = sot;
    this.endOfTextId = eot;
  }

  /** Loads {@code tokenizer.json}; fails with the path when it is missing or not a tokenizer. */
  public static ClipTokenizer load(Path tokenizerJson) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new ImageSearchException("tokenizer file missing: " + tokenizerJson);
    }
    try {
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(true)
              .optTruncation(true)
              .optMaxLength(MAX_LENGTH)
              .optPadding(false)
              .build();
      // The empty text encodes to exactly the two special tokens: their ids, without parsing
      // the (multi-megabyte) JSON a second time.
      long[] specials = tokenizer.encode("").getIds();
      if (specials.length != 2) {
        tokenizer.close();
        throw new ImageSearchException(
            tokenizerJson
                + " is not a CLIP tokenizer: the empty text should encode to "
                + START_OF_TEXT
                + " and "
                + END_OF_TEXT
                + ", got "
                + specials.length
                + " tokens");
      }
      return new ClipTokenizer(tokenizerJson, tokenizer, specials[0], specials[1]);
    } catch (ImageSearchException e) {
      throw e;
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      throw new ImageSearchException(
          "cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets DJL's offline switch and, on a read-only home folder, an explicit native cache under the
   * temp folder. Values already given by the environment or the command line win. Process-wide:
   * call once at start, before the first tokenizer loads.
   */
  public static synchronized void prepareNativeEnvironment() {
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    nativeCacheDir(
            System.getenv("DJL_CACHE_DIR"),
            System.getProperty("DJL_CACHE_DIR"),
            Files.isWritable(Path.of(System.getProperty("user.home", "/"))),
            System.getProperty("java.io.tmpdir"))
        .ifPresent(cache -> System.setProperty("DJL_CACHE_DIR", cache.toString()));
  }

  /**
   * The cache folder to set for DJL's native library, if any: none when the operator chose one
   * ({@code DJL_CACHE_DIR} variable or property) or the home folder is writable; else {@code
   * <tmpdir>/djl-cache}.
   */
  static Optional<Path> nativeCacheDir(
      String envValue, String propertyValue, boolean homeWritable, String tmpdir) {
    if (envValue != null || propertyValue != null || homeWritable) {
      return Optional.empty();
    }
    return Optional.of(Path.of(tmpdir, "djl-cache"));
  }

  /** Token ids: start-of-text, the text's tokens, end-of-text; at most 77 of them. */
  public long[] encode(String text) {
    if (text == null) {
      throw new ImageSearchException("cannot tokenize null text");
    }
    try {
      Encoding encoding = tokenizer.encode(text);
      return encoding.getIds();
    } catch (RuntimeException e) {
      throw new ImageSearchException(
          "tokenizer " + file + " failed on a text of " + text.length() + " chars: " + e, e);
    }
  }

  public long startOfTextId() {
    return startOfTextId;
  }

  /** The id of {@code <|endoftext|>}, also CLIP's padding token. */
  public long endOfTextId() {
    return endOfTextId;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
