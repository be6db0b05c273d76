package dev.patrol.testing;

import java.nio.file.Path;
import java.util.List;

/** Renders the nginx.conf of an {@link NginxServer}: one server on 127.0.0.1, everything under its prefix. */
final class NginxConfig {

    private NginxConfig() {}

    static String render(
            Path prefix,
            int port,
            int tlsPort,
            TestCertificates.Issued tls,
            List<String> httpDirectives,
            List<String> serverDirectives,
            List<String> locations) {
        StringBuilder server = new StringBuilder();
        server.append("    listen 127.0.0.1:%d;\n".formatted(port));
        if (tls != null) {
            server.append("    listen 127.0.0.1:%d ssl http2;\n".formatted(tlsPort))
                    .append("    ssl_certificate %s;\n".formatted(tls.certFile().toAbsolutePath()))
                    .append("    ssl_certificate_key %s;\n"
                            .formatted(tls.keyFile().toAbsolutePath()));
        }
        server.append("    root %s;\n".formatted(prefix.resolve("html")));
        serverDirectives.forEach(
                directive -> server.append("    ").append(directive).append('\n'));
        server.append("    location = %s { stub_status; }\n".formatted(NginxServer.STUB_STATUS));
        locations.forEach(location -> server.append("    ").append(location).append('\n'));
        // A root master hands requests to workers running as nobody, who cannot read a private temp dir.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        Path tmp = prefix.resolve("tmp");
        StringBuilder http = new StringBuilder();
        httpDirectives.forEach(directive -> http.append("  ").append(directive).append('\n'));
        return user
                + """
                worker_processes 1;
                error_log %1$s/logs/error.log info;
                pid %1$s/nginx.pid;
                events { worker_connections 512; }
                http {
                  access_log %1$s/logs/access.log;
                  client_body_temp_path %2$s/client_body;
                  proxy_temp_path %2$s/proxy;
                  fastcgi_temp_path %2$s/fastcgi;
                  uwsgi_temp_path %2$s/uwsgi;
                  scgi_temp_path %2$s/scgi;
                  types { text/html html; text/plain txt; application/json json; }
                  default_type application/octet-stream;
                %4$s  server {
                %3$s  }
                }
                """
                        .formatted(prefix, tmp, server, http);
    }
}
