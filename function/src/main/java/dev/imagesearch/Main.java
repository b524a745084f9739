package dev.imagesearch;

import dev.imagesearch.clip.ClipTokenizer;
import dev.imagesearch.index.CalibrateCommand;
import dev.imagesearch.index.IndexCommand;
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
    subcommands = {
      ServeCommand.class,
      IndexCommand.class,
      CalibrateCommand.class,
      ModelCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    // Process-wide settings, once, before anything loads a native library.
    ClipTokenizer.prepareNativeEnvironment();
    System.exit(run(args));
  }

  /** Runs a sub-command and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // A mistyped option gets one line and a pointer to --help, not the whole usage text.
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          CommandLine command = e.getCommandLine();
          command.getErr().println("error: " + e.getMessage());
          command.getErr().println("try: " + command.getCommandSpec().qualifiedName() + " --help");
          return 2;
        });
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
