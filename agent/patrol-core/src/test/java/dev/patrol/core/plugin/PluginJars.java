package dev.patrol.core.plugin;

import com.typesafe.config.Config;
import dev.patrol.api.CheckPlugin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds small plugin jars for {@code plugins.d} tests: compiles a plugin class and packs it with its resources. */
final class PluginJars {

    private PluginJars() {}

    /**
     * Source of a plugin class {@code plugind.<className>} of the given type, whose check reads {@code greeting}.
     */
    static String pluginSource(String className, String type) {
        return """
                package plugind;

                import com.typesafe.config.Config;
                import dev.patrol.api.*;
                import java.util.concurrent.CompletableFuture;

                public final class %s implements CheckPlugin {
                    public String type() { return "%s"; }
                    public CheckDefinition parse(Config block) {
                        SettingsReader reader = new SettingsReader(block);
                        String greeting = reader.string("greeting");
                        reader.throwIfInvalid();
                        return (target, context) -> CompletableFuture.completedFuture(CheckResult.ok(greeting));
                    }
                }
                """
                .formatted(className, type);
    }

    /**
     * Compiles the sources ({@code plugind.<Name>} each) and writes a jar holding their classes, a service file that
     * lists {@code providers}, and the given extra resources (such as {@code reference.conf}).
     */
    static Path jar(Path jar, Map<String, String> sources, List<String> providers, Map<String, String> resources) {
        try {
            Files.createDirectories(jar.getParent());
            // Build beside the plugins folder, not in it: the test's temp dir removes it afterwards.
            Path work = Files.createDirectories(jar.getParent().resolveSibling("build-" + jar.getFileName()));
            Path src = Files.createDirectories(work.resolve("src/plugind"));
            Path classes = Files.createDirectories(work.resolve("classes"));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Files.writeString(src.resolve(source.getKey() + ".java"), source.getValue());
            }
            compile(src, classes);
            try (OutputStream file = Files.newOutputStream(jar);
                    JarOutputStream out = new JarOutputStream(file);
                    Stream<Path> compiled = Files.walk(classes)) {
                for (Path cls : compiled.filter(Files::isRegularFile).sorted().toList()) {
                    add(out, classes.relativize(cls).toString(), Files.readAllBytes(cls));
                }
                add(
                        out,
                        "META-INF/services/" + CheckPlugin.class.getName(),
                        String.join("\n", providers).getBytes(StandardCharsets.UTF_8));
                for (Map.Entry<String, String> resource : resources.entrySet()) {
                    add(out, resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(Path src, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("tests need a JDK, not a JRE");
        }
        // Surefire may hide the class path in a manifest jar, so name the two jars a plugin compiles against.
        String classPath = location(CheckPlugin.class) + java.io.File.pathSeparator + location(Config.class);
        List<String> args;
        try (Stream<Path> files = Files.list(src)) {
            args = Stream.concat(
                            Stream.of("--release", "17", "-classpath", classPath, "-d", classes.toString()),
                            files.map(Path::toString))
                    .toList();
        }
        int exit = compiler.run(null, null, null, args.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("test plugin did not compile, exit " + exit);
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
