package dev.sbx.controlplane.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot see by itself in {@code /v3/api-docs}: the problem+json shape of every
 * error, the bearer token, and the WebSocket stream (a handshake, not an MVC handler).
 */
@Configuration
class OpenApiConfiguration {

  private static final String PROBLEM = "Problem";

  @Bean
  OpenAPI sandboxApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Agent Sandbox control plane")
                .description(
                    "Disposable sandboxes for code an AI agent wrote: create, exec, stream, delete.")
                .version("1"))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  @Bean
  OpenApiCustomizer problemResponsesAndStream() {
    return api -> {
      // Here, not in the OpenAPI bean: springdoc rebuilds the schemas from the controllers.
      api.getComponents().addSchemas(PROBLEM, problemSchema());
      api.getPaths().values().forEach(path -> path.readOperations().forEach(this::addProblems));
      api.getPaths().addPathItem("/sandboxes/{id}/stream", streamPath());
      api.getPaths().addPathItem("/sandboxes/{id}/ingest", ingestPath());
    };
  }

  private void addProblems(Operation operation) {
    var problem =
        new Content()
            .addMediaType(
                "application/problem+json",
                new MediaType().schema(new ObjectSchema().$ref("#/components/schemas/" + PROBLEM)));
    for (var status :
        Map.of(
                "400", "invalid request (the field is named)",
                "401", "missing or wrong bearer token",
                "404", "unknown sandbox or exec",
                "409", "conflict (exists, not ready, finished)",
                "413", "body over 1 MiB",
                "415", "body is not JSON",
                "429", "too many running execs",
                "503", "the runtime cannot do it now")
            .entrySet()) {
      operation
          .getResponses()
          .putIfAbsent(
              status.getKey(), new ApiResponse().description(status.getValue()).content(problem));
    }
  }

  private static ObjectSchema problemSchema() {
    var schema = new ObjectSchema();
    schema.description("RFC 9457 problem details, plus the original program's error member");
    schema.addProperty("type", new StringSchema().example("urn:sbx:problem:sandbox-not-found"));
    schema.addProperty("title", new StringSchema());
    schema.addProperty("status", new IntegerSchema());
    schema.addProperty("detail", new StringSchema());
    schema.addProperty("instance", new StringSchema());
    schema.addProperty("error", new StringSchema().description("the detail, for older clients"));
    return schema;
  }

  private static PathItem ingestPath() {
    var operation =
        new Operation()
            .operationId("ingest")
            .summary(
                "WebSocket for the sandbox's stream sidecar, with the sandbox's ingest token as"
                    + " bearer token (docs/sidecar.md)")
            .addParametersItem(
                new Parameter().in("path").name("id").required(true).schema(new StringSchema()));
    operation.setResponses(new ApiResponses());
    operation
        .getResponses()
        .addApiResponse("101", new ApiResponse().description("switching to WebSocket"))
        .addApiResponse("401", new ApiResponse().description("no ingest token"))
        .addApiResponse("403", new ApiResponse().description("not this sandbox's ingest token"))
        .addApiResponse("404", new ApiResponse().description("unknown sandbox"));
    return new PathItem().get(operation);
  }

  private static PathItem streamPath() {
    var operation =
        new Operation()
            .operationId("stream")
            .summary("WebSocket: an exec's events, replayed then live (docs/api.md)")
            .addParametersItem(
                new Parameter().in("path").name("id").required(true).schema(new StringSchema()))
            .addParametersItem(
                new Parameter().in("query").name("exec_id").schema(new StringSchema()))
            .addParametersItem(
                new Parameter().in("query").name("from_seq").schema(new IntegerSchema()));
    operation.setResponses(new ApiResponses());
    operation
        .getResponses()
        .addApiResponse("101", new ApiResponse().description("switching to WebSocket"));
    return new PathItem().get(operation);
  }
}
