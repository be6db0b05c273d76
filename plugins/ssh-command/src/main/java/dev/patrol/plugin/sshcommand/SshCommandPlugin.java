package dev.patrol.plugin.sshcommand;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;

/**
 * The {@code ssh-command} check type: runs a command on each target over the agent's pooled SSH sessions and judges
 * it as a Nagios plugin (exit status and perfdata), as Prometheus text, or by its exit status alone. Settings are
 * documented in this module's {@code reference.conf}.
 *
 * <pre>{@code
 * root-disk { type = ssh-command, targets = { role = "web" },
 *             command = "/usr/lib/nagios/plugins/check_disk -w 20% -c 10% -p /" }
 * }</pre>
 *
 * <p>Registered in {@code META-INF/services/dev.patrol.api.CheckPlugin}. Stateless and thread-safe.
 */
public final class SshCommandPlugin implements CheckPlugin {

    /** The value users write as {@code type = ssh-command}, and the key of this plugin's defaults. */
    public static final String TYPE = "ssh-command";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CheckDefinition parse(Config block) {
        return new SshCommandCheck(SshCommandSettings.from(block));
    }
}
