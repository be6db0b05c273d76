package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckPlugin;
import dev.patrol.testing.PluginContractTest;

/** The contract every plugin keeps: folder, service entry, README, reference.conf and sample.conf agree. */
class LogTailContractTest extends PluginContractTest {
    @Override
    protected CheckPlugin plugin() {
        return new LogTailPlugin();
    }
}
