package dev.sbx.controlplane.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server at {@code /mcp}, on the MCP Java SDK's Streamable HTTP servlet. It is a servlet of
 * the same Tomcat as the API, so the API's filters apply to it as they are: the bearer token, the
 * body size limit and the access log.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sandbox.mcp-enabled")
class McpConfiguration {

  static final String ENDPOINT = "/mcp";

  /**
   * The protocol's own mapper, not the API's: that one writes snake_case, which would rename the
   * protocol's camelCase fields. Tool results are maps whose snake_case keys are written as given.
   */
  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.builder().build());

  @Bean
  HttpServletStreamableServerTransportProvider mcpTransport() {
    return HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(JSON)
        .mcpEndpoint(ENDPOINT)
        // No allowed origins: a request that carries an Origin (a web page's) is refused with
        // 403, so a page cannot drive a control plane on loopback through DNS rebinding. Agents
        // are not browsers and send none.
        .securityValidator(DefaultServerTransportSecurityValidator.builder().build())
        .keepAliveInterval(Duration.ofSeconds(25))
        .build();
  }

  @Bean
  ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(
      HttpServletStreamableServerTransportProvider transport) {
    var registration = new ServletRegistrationBean<>(transport, ENDPOINT);
    registration.setAsyncSupported(true); // replies and notifications stream as SSE
    registration.setName("mcp");
    return registration;
  }

  @Bean(destroyMethod = "close")
  McpSyncServer mcpServer(
      HttpServletStreamableServerTransportProvider transport,
      SandboxTools sandboxTools,
      CommandTools commandTools,
      OutputTools outputTools,
      FileTools fileTools,
      ObjectProvider<BuildProperties> build) {
    var info = build.getIfAvailable();
    var tools =
        Stream.of(
                sandboxTools.tools(), commandTools.tools(), outputTools.tools(), fileTools.tools())
            .flatMap(List::stream)
            .map(tool -> ToolCalls.specification(tool, JSON))
            .toList();
    return McpServer.sync(transport)
        .serverInfo("sbx", info != null && info.getVersion() != null ? info.getVersion() : "dev")
        .instructions(
            "Sandboxes are disposable Linux environments for running code: create_sandbox, then"
                + " run_command, read and write files, and delete_sandbox when done.")
        .jsonMapper(JSON)
        .jsonSchemaValidator(new DefaultJsonSchemaValidator())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(tools)
        .build();
  }
}
