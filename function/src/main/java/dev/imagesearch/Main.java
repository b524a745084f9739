package dev.imagesearch;

import dev.imagesearch.server.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the executable jar: {@code java -jar image-search.jar serve|index|...}. Errors of
 * the project's own kind are printed as one line, never as a stack trace.
 */
@Command(
    name = "image-search",
    mixinStandardHelpOptions = true,
    description = "Text-to-image search with CLIP.",
    subcommands = {ServeCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a sub-command and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ImageSearchException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cli.execute(args);
  }
}
