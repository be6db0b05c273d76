package dev.patrol.core.config;

import dev.patrol.core.ConfigSource;
import dev.patrol.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.List;

/** The test plugins {@code probe} and {@code ping}, for tests outside this package (agent, CLI). */
public final class TestPlugins {

    private TestPlugins() {}

    /** A source that loads {@code file} with the test plugins on every call, as the agent's own source does. */
    public static ConfigSource source(Path file) {
        ConfigLoader loader = ConfigLoader.with(new PluginRegistry(List.of(new ProbePlugin(), new PingPlugin())));
        return () -> loader.load(file);
    }

    /** The line every agent fault starts with, which no config may ever produce. */
    public static String agentFault() {
        return ConfigLoader.AGENT_FAULT;
    }
}
