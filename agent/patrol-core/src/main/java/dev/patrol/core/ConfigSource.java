package dev.patrol.core;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.config.PatrolSettings;

/** Where the agent reads its configuration from, at start and on every reload. */
@FunctionalInterface
public interface ConfigSource {

    /**
     * Reads and validates the whole configuration.
     *
     * @throws InvalidSettingsException with every problem found
     */
    PatrolSettings load();
}
