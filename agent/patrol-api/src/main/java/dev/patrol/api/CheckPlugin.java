package dev.patrol.api;

import com.typesafe.config.Config;

/**
 * One check type, such as {@code http} or {@code ssh-command}. Found with {@link java.util.ServiceLoader}, from the
 * agent's classpath or from a jar in {@code plugins.d/}; register it in
 * {@code META-INF/services/dev.patrol.api.CheckPlugin}.
 *
 * <p>A plugin's defaults live in its own {@code reference.conf} under {@code patrol.plugin-defaults.<type>}. Every key
 * found there is a key users may write in a check block of this type; any other key is rejected by the agent before
 * {@link #parse} is called.
 *
 * <pre>{@code
 * public final class PingPlugin implements CheckPlugin {
 *     public String type() { return "ping"; }
 *     public CheckDefinition parse(Config block) {
 *         var reader = new SettingsReader(block);
 *         String host = reader.string("host");
 *         reader.throwIfInvalid();
 *         return (target, context) -> ...;
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations must be stateless and thread-safe; the agent calls {@link #parse} again on every reload.
 */
public interface CheckPlugin {

    /** The kebab-case name users write as {@code type = ...}; unique among loaded plugins. */
    String type();

    /**
     * Validates one check block and builds its immutable definition. The block already has the plugin's defaults and
     * {@code patrol.defaults} as fallbacks, and contains only known keys: the plugin's own and the
     * {@link CommonCheckKeys#NAMES}, which the agent reads and checks itself and the plugin ignores.
     *
     * @throws InvalidSettingsException with every problem found, each naming the key relative to the block
     */
    CheckDefinition parse(Config block);
}
