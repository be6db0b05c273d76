package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code reference.conf} files of one load, each parsed once: core's (and those of the plugins on the agent's
 * classpath) first, since they say where plugin jars come from; then only those the plugin jars add. The merge is the
 * one {@code ConfigFactory.parseResources(registry.classLoader(), "reference.conf")} gives, where a file earlier on
 * the class path wins. Stateless and thread-safe.
 */
final class ReferenceFiles {
    static final String NAME = "reference.conf";

    private ReferenceFiles() {}

    /** Every {@code reference.conf} the agent's own class loader sees. */
    static Config agent() {
        return ConfigFactory.parseResources(agentLoader(), NAME);
    }

    /**
     * {@code agent} with the files only {@code plugins} sees as its fallback.
     *
     * @param agent what {@link #agent()} returned for this load
     * @param plugins the plugin registry's class loader: the agent's, or one over the plugin jars whose parent it is
     */
    static Config withPlugins(Config agent, ClassLoader plugins) {
        if (plugins == agentLoader()) {
            return agent;
        }
        Set<String> parsed =
                urls(agentLoader()).stream().map(URL::toExternalForm).collect(Collectors.toSet());
        ClassLoader onlyNew = new ClassLoader(plugins) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (!NAME.equals(name)) {
                    return super.getResources(name);
                }
                return Collections.enumeration(urls(plugins).stream()
                        .filter(url -> !parsed.contains(url.toExternalForm()))
                        .toList());
            }
        };
        return agent.withFallback(ConfigFactory.parseResources(onlyNew, NAME));
    }

    private static ClassLoader agentLoader() {
        return ReferenceFiles.class.getClassLoader();
    }

    private static List<URL> urls(ClassLoader loader) {
        try {
            return Collections.list(loader.getResources(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
