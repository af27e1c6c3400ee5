package dev.sbx.controlplane.web;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import dev.sbx.controlplane.peers.Ownership;
import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.web.forward.ForwardingFilter;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The servlet filters every request passes (the bearer token check, then the body size limit), and
 * Tomcat's own error reports.
 */
@Configuration
@EnableConfigurationProperties(ApiProperties.class) // for slices (@WebMvcTest), which scan none
class WebConfiguration {

  @Bean
  FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(
      ApiProperties api, ProblemWriter problems, @Value("${server.address:}") String address) {
    var token = api.apiToken();
    ListenGuard.check(address, token);
    var registration = new FilterRegistrationBean<>(new BearerTokenFilter(token, problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setEnabled(token != null);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RequestLogFilter> requestLogFilter(SandboxMetrics metrics) {
    // First of all, so that refused requests (401, 413) are logged and counted too.
    var registration = new FilterRegistrationBean<>(new RequestLogFilter(metrics));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE - 1);
    return registration;
  }

  /** Tomcat's own rejections answer with problem JSON too; see {@link ProblemReportValve}. */
  @Bean
  TomcatContextCustomizer problemReports() {
    return context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemReportValve.class.getName());
      }
    };
  }

  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ProblemWriter problems) {
    var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  /**
   * After the token and the body limit, so that a replica passes on only requests it would take
   * itself; the owner checks the token again (the request keeps its Authorization).
   */
  @Bean
  FilterRegistrationBean<ForwardingFilter> forwardingFilter(
      Ownership ownership, ExecService execs, ProblemWriter problems) {
    var registration =
        new FilterRegistrationBean<>(new ForwardingFilter(ownership, execs, problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }
}
