package dev.imagesearch;

/**
 * The project's one unchecked exception. Wrappers around native or cloud libraries (ONNX Runtime,
 * DJL tokenizers, the AWS SDK) catch their library's exceptions and rethrow this one, with the
 * path, key or status that a person needs to act on in the message.
 */
public class ImageSearchException extends RuntimeException {
  public ImageSearchException(String message) {
    super(message);
  }

  public ImageSearchException(String message, Throwable cause) {
    super(message, cause);
  }
}
