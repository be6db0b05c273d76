package dev.patrol.plugin.sshcommand;

import dev.patrol.api.Sample;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a perfdata unit of measurement (UOM) to Prometheus base units, following the monitoring-plugins development
 * guidelines ("s, us, ms; %; B, KB, MB, TB; c") and what the plugins actually print:
 *
 * <ul>
 *   <li>no unit: a plain number, no suffix;
 *   <li>{@code s}, {@code ms}, {@code us} (or {@code \u00b5s}), {@code ns}: seconds, suffix {@code _seconds};
 *   <li>{@code %}: divided by 100 into a ratio from 0 to 1, suffix {@code _ratio} (Prometheus base units; a
 *       {@code check_disk} 20% threshold is 0.2 in PromQL);
 *   <li>{@code B} with an optional prefix {@code K}, {@code M}, {@code G}, {@code T}, {@code P} (either case, with or
 *       without {@code i}): bytes, suffix {@code _bytes}. Prefixes are powers of 1024, because that is what
 *       monitoring-plugins mean: {@code check_disk --units MB} multiplies by 1024 * 1024, and {@code kB} by 1024;
 *   <li>{@code c}: a continuous counter, kind {@link Sample.Kind#COUNTER}, suffix {@code _total};
 *   <li>anything else (e.g. {@code packets}): the value unchanged, the unit lower-cased as the suffix.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class UnitNormalizer {

    /**
     * How to turn a value in some unit into a sample.
     *
     * @param suffix the name suffix without its underscore, or empty for none
     * @param factor what the value is multiplied by
     * @param kind gauge, or counter for {@code c}
     */
    record Unit(String suffix, double factor, Sample.Kind kind) {
        static final Unit NONE = new Unit("", 1, Sample.Kind.GAUGE);

        double normalize(double value) {
            return value * factor;
        }
    }

    private static final Map<String, Unit> EXACT = Map.ofEntries(
            Map.entry("", Unit.NONE),
            Map.entry("s", new Unit("seconds", 1, Sample.Kind.GAUGE)),
            Map.entry("ms", new Unit("seconds", 1e-3, Sample.Kind.GAUGE)),
            Map.entry("us", new Unit("seconds", 1e-6, Sample.Kind.GAUGE)),
            Map.entry("\u00b5s", new Unit("seconds", 1e-6, Sample.Kind.GAUGE)),
            Map.entry("ns", new Unit("seconds", 1e-9, Sample.Kind.GAUGE)),
            Map.entry("%", new Unit("ratio", 0.01, Sample.Kind.GAUGE)),
            Map.entry("B", new Unit("bytes", 1, Sample.Kind.GAUGE)),
            Map.entry("c", new Unit("total", 1, Sample.Kind.COUNTER)));

    private static final String BYTE_PREFIXES = "KMGTP";

    private UnitNormalizer() {}

    /** The unit for {@code uom} as printed after a perfdata value; never {@code null}. */
    static Unit of(String uom) {
        Unit exact = EXACT.get(uom);
        if (exact != null) {
            return exact;
        }
        Unit bytes = bytes(uom);
        if (bytes != null) {
            return bytes;
        }
        return new Unit(SampleNames.sanitize(uom.toLowerCase(Locale.ROOT)), 1, Sample.Kind.GAUGE);
    }

    /** {@code KB}, {@code kB}, {@code KiB}, {@code MB}, ... {@code PiB}; {@code null} for anything else. */
    private static Unit bytes(String uom) {
        boolean binary = uom.length() == 3 && uom.charAt(1) == 'i';
        if (!(uom.length() == 2 || binary) || uom.charAt(uom.length() - 1) != 'B') {
            return null;
        }
        int power = BYTE_PREFIXES.indexOf(Character.toUpperCase(uom.charAt(0))) + 1;
        if (power == 0) {
            return null;
        }
        return new Unit("bytes", Math.pow(1024, power), Sample.Kind.GAUGE);
    }
}
