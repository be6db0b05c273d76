package dev.patrol.plugin.example;

import dev.patrol.api.CheckPlugin;
import dev.patrol.testing.PluginContractTest;

/** The contract every plugin keeps: folder, service entry, README, reference.conf and sample.conf agree. */
class ExampleContractTest extends PluginContractTest {
    @Override
    protected CheckPlugin plugin() {
        return new ExamplePlugin();
    }
}
