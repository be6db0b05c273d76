package dev.patrol.core.config;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.CheckResult;
import java.util.concurrent.CompletableFuture;

/** A test-only plugin of type "ping" with no keys of its own: only the common check keys apply. */
final class PingPlugin implements CheckPlugin {

    @Override
    public String type() {
        return "ping";
    }

    @Override
    public CheckDefinition parse(Config block) {
        return (target, context) -> CompletableFuture.completedFuture(CheckResult.ok("pong from " + target.host()));
    }
}
