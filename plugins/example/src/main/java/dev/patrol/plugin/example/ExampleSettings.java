package dev.patrol.plugin.example;

import com.typesafe.config.Config;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything an example check block says, read and validated once when the config is loaded; see this plugin's
 * {@code reference.conf} for each key. Immutable and thread-safe.
 *
 * @param warnBelow {@code warn-below}: fewer addresses than this make the check WARNING; 0 never warns
 * @param expectAddress {@code expect-address}: an address the host name must resolve to, or {@code null} for any
 */
public record ExampleSettings(int warnBelow, InetAddress expectAddress) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Hex digits, colons and dots, with at least one colon: the only text that may be an IPv6 literal here. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /**
     * Reads a check block that has this plugin's defaults as fallback, collecting every problem before failing.
     *
     * <pre>{@code
     * ExampleSettings settings = ExampleSettings.from(ConfigFactory.parseString("warn-below = 2")
     *         .withFallback(referenceDefaults));
     * }</pre>
     *
     * @throws InvalidSettingsException naming each bad key with what was expected
     */
    public static ExampleSettings from(Config block) {
        SettingsReader reader = new SettingsReader(block);
        // Read with the widest range and check the bound here, for a message that says "0 or more", not "0 to 2^31-1".
        Integer warnBelow = reader.integer("warn-below", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (warnBelow != null && warnBelow < 0) {
            reader.problem("warn-below", "expected an integer of 0 or more, got " + warnBelow);
        }
        InetAddress expectAddress = null;
        Optional<String> expected = reader.optionalString("expect-address");
        if (expected.isPresent()) {
            expectAddress = ipLiteral(expected.get().strip());
            if (expectAddress == null) {
                reader.problem(
                        "expect-address",
                        "expected an IP address such as 192.0.2.10 or 2001:db8::10, got '" + expected.get() + "'");
            }
        }
        reader.throwIfInvalid();
        return new ExampleSettings(warnBelow, expectAddress);
    }

    /**
     * The address written as {@code text}, or {@code null} when it is not an IP literal. A host name must not reach
     * {@link InetAddress#getByName}: it would do a DNS lookup while the config is being read.
     */
    static InetAddress ipLiteral(String text) {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] octets = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                octets[i] = (byte) octet;
            }
            return addressOf(octets);
        }
        if (!IPV6_CHARACTERS.matcher(text).matches()) {
            return null;
        }
        try {
            // Text of this shape the JDK parses as an IPv6 literal, failing rather than falling back to a lookup.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress addressOf(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
