package dev.sbx.controlplane.sandbox;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.Quantities;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.Resources;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns a create's {@code resources} into the limits the sandbox runs under: what it asked for, the
 * configured limits for the rest. Asking for more than is configured is a 400 naming the field.
 */
final class RequestedResources {

  private RequestedResources() {}

  static Resources resolve(@Nullable ResourcesRequest request, Resources configured) {
    if (request == null) {
      return configured;
    }
    var asked =
        new Resources(
            quantity(Resources.CPU, request.cpuLimit(), Quantities::cpuMillis),
            quantity(Resources.MEMORY, request.memLimit(), Quantities::bytes),
            count(request.pidsLimit()),
            quantity(Resources.DISK, request.diskLimit(), Quantities::bytes));
    var above = asked.above(configured);
    if (!above.isEmpty()) {
      var field = above.get(0);
      throw new InvalidRequestException(
          "resources." + field,
          asText(field, asked)
              + " is above this server's limit of "
              + asText(field, configured)
              + " ("
              + configKey(field).envVar()
              + ")");
    }
    return asked.orElse(configured);
  }

  private static @Nullable Long quantity(
      String field, @Nullable JsonNode node, Function<String, Long> parse) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString() && !node.isNumber()) {
      throw new InvalidRequestException(
          "resources." + field, "expected a quantity such as \"1\", \"500m\" or \"512Mi\"");
    }
    try {
      return parse.apply(node.isNumber() ? node.decimalValue().toPlainString() : node.asString());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("resources." + field, e.getMessage());
    }
  }

  private static @Nullable Long count(@Nullable Long pids) {
    if (pids != null && pids < 1) {
      throw new InvalidRequestException("resources." + Resources.PIDS, "must be at least 1");
    }
    return pids;
  }

  private static String asText(String field, Resources resources) {
    return switch (field) {
      case Resources.CPU -> resources.cpuText();
      case Resources.MEMORY -> resources.memoryText();
      case Resources.PIDS -> String.valueOf(resources.pids());
      default -> resources.diskText();
    };
  }

  private static ConfigKey configKey(String field) {
    return switch (field) {
      case Resources.CPU -> ConfigKey.CPU_LIMIT;
      case Resources.MEMORY -> ConfigKey.MEM_LIMIT;
      case Resources.PIDS -> ConfigKey.PIDS_LIMIT;
      default -> ConfigKey.DISK_LIMIT;
    };
  }
}
