package dev.imagesearch;

import dev.imagesearch.store.ModelPushCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code image-search model ...}: model folders for deployments ({@code push}). */
@Command(
    name = "model",
    description = "Model folders for deployments.",
    mixinStandardHelpOptions = true,
    subcommands = ModelPushCommand.class)
final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (push)");
  }
}
