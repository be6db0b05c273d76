package dev.patrol.core.web;

import java.util.List;

/**
 * What {@code POST /-/reload} answers: whether the new configuration was taken, and lines for the person who asked
 * (a summary on success, one {@code FILE:LINE: key.path: ...} problem per line on failure).
 *
 * <pre>{@code
 * ReloadResult.succeeded("Reloaded: 12 checks, 40 targets");
 * ReloadResult.failed(List.of("/etc/patrol/patrol.conf:7: patrol.checks.x.interval: expected a duration"));
 * }</pre>
 *
 * @param success true if the new configuration is now in force; false if the old one was kept
 * @param messages lines to show; never null
 */
public record ReloadResult(boolean success, List<String> messages) {

    public ReloadResult {
        messages = List.copyOf(messages);
    }

    public static ReloadResult succeeded(String message) {
        return new ReloadResult(true, List.of(message));
    }

    public static ReloadResult failed(List<String> problems) {
        return new ReloadResult(false, problems);
    }
}
