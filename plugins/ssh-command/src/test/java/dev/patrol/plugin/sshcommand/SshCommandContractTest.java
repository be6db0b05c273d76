package dev.patrol.plugin.sshcommand;

import dev.patrol.api.CheckPlugin;
import dev.patrol.testing.PluginContractTest;

/** The contract every plugin keeps: folder, service entry, README, reference.conf and sample.conf agree. */
class SshCommandContractTest extends PluginContractTest {
    @Override
    protected CheckPlugin plugin() {
        return new SshCommandPlugin();
    }
}
