package dev.patrol.plugin.logtail;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;

/**
 * The {@code log-tail} check type: follows log files on each target (over the agent's pooled SSH sessions) or on the
 * agent's own machine, appends every new line exactly once to a local spool, and counts lines, bytes and pattern
 * matches. Settings are documented in this module's {@code reference.conf}.
 *
 * <pre>{@code
 * app-logs { type = log-tail, targets = { role = "web" }, paths = ["/var/log/app/*.log"],
 *            patterns { errors = "(?i)\\berror\\b" } }
 * }</pre>
 *
 * <p>Registered in {@code META-INF/services/dev.patrol.api.CheckPlugin}. Stateless and thread-safe.
 */
public final class LogTailPlugin implements CheckPlugin {

    /** The value users write as {@code type = log-tail}, and the key of this plugin's defaults. */
    public static final String TYPE = "log-tail";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CheckDefinition parse(Config block) {
        return new LogTailCheck(LogTailSettings.from(block));
    }
}
