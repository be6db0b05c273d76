package dev.patrol.plugin.example;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;

/**
 * The {@code example} check type: resolves each target's host name and reports how many addresses it has. It is the
 * template to copy for a new plugin; see {@code README.md} beside this module's {@code pom.xml}.
 *
 * <pre>{@code
 * checks {
 *   dns { type = example, targets = "*", warn-below = 2 }
 * }
 * }</pre>
 *
 * <p>Registered in {@code META-INF/services/dev.patrol.api.CheckPlugin}. Stateless and thread-safe, as every plugin must
 * be: the agent calls {@link #parse} again on each reload.
 */
public final class ExamplePlugin implements CheckPlugin {

    /** The value users write as {@code type = example}, and the key of this plugin's defaults. */
    public static final String TYPE = "example";

    @Override
    public String type() {
        return TYPE;
    }

    /** Validates the block eagerly, so every mistake is reported by {@code patrol check-config}, not at run time. */
    @Override
    public CheckDefinition parse(Config block) {
        return new ExampleCheck(ExampleSettings.from(block));
    }
}
