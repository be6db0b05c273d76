package dev.patrol.core.action;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only check of type "flag" whose status a test sets: it reads the file named by the target's {@code flag}
 * label, which holds {@code ok}, {@code critical}, or {@code alternate} (critical and OK by turns, run after run).
 * A missing file is OK.
 */
final class FlagPlugin implements CheckPlugin {
    private final Map<String, Boolean> alternation = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "flag";
    }

    @Override
    public CheckDefinition parse(Config block) {
        return (target, context) -> {
            Path file = Path.of(target.labels().get("flag"));
            String text;
            try {
                text = Files.exists(file) ? Files.readString(file).strip() : "ok";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text.equals("alternate")) {
                String key = context.check() + "/" + target.name();
                text = alternation.merge(key, true, (was, ignored) -> !was) ? "critical" : "ok";
            }
            return CompletableFuture.completedFuture(
                    text.equals("critical")
                            ? CheckResult.critical(Reason.CHECK_FAILED, "flag says critical")
                            : CheckResult.ok("flag says ok"));
        };
    }
}
