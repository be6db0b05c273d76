package dev.patrol.core.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Sends every logging API in the JVM to SLF4J, so that Quartz, Jetty and the JDK's HTTP client log in one format. */
final class LoggingSupport {
    private LoggingSupport() {}

    static void routeJdkLogging() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
