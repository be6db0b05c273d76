package dev.patrol.api;

import java.util.Objects;

/**
 * A password, token or passphrase. {@link #toString()} never shows it, so a secret that reaches a log line, a
 * status page or an exception message shows as {@code ******}. Read it with {@link SettingsReader#secret}.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; pass it straight to the API that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "******";
    }
}
