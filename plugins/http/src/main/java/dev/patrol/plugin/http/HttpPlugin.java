package dev.patrol.plugin.http;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;

/**
 * The {@code http} check type: requests a URL and judges the status code, the body and JSON values in it, like
 * blackbox_exporter's http prober. Settings are documented in this module's {@code reference.conf}.
 *
 * <pre>{@code
 * homepage { type = http, url = "https://shop.example.com/health", expect.status = [200] }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class HttpPlugin implements CheckPlugin {

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CheckDefinition parse(Config block) {
        return new HttpCheck(HttpSettings.from(block), Throttling.from(block));
    }
}
