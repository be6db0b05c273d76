package dev.patrol.e2e;

import java.util.List;
import java.util.Random;

/**
 * Random command output for fuzz tests: Prometheus text and Nagios perfdata with names of both types, suffixes,
 * names of the agent's own families, unicode, escapes, huge label values, duplicates and broken lines. Not
 * thread-safe; one per seed.
 */
final class RemoteOutput {
    private static final List<String> NAMES = List.of(
            "clash",
            "clash_total",
            "clash_created",
            "Clash:Total",
            "jobs",
            "jobs_count",
            "jobs_bucket",
            "up",
            "名前",
            "patrol_check_up",
            "load1",
            "x",
            "_",
            "9lives",
            "temp_celsius",
            "requests_ms");
    private static final List<String> TYPES = List.of("counter", "gauge", "untyped", "histogram", "summary", "info");
    private static final List<String> LABEL_NAMES =
            List.of("check", "target", "le", "quantile", "job", "camelCase", "_x", "exported_check", "b".repeat(120));
    private static final List<String> ODD =
            List.of("", "\\\"", "\\\\", "\\n", "ü", "日本", "😀", "}", "{a=\\\"b\\\"}", "# TYPE x gauge", " ", ",", "=");
    private static final List<String> UNITS = List.of("", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c", "x", "KiB");

    private final Random random;

    RemoteOutput(Random random) {
        this.random = random;
    }

    String prometheusText() {
        StringBuilder text = new StringBuilder();
        int lines = random.nextInt(10) == 0 ? 1500 : random.nextInt(40);
        for (int i = 0; i < lines; i++) {
            String name = name();
            switch (random.nextInt(8)) {
                case 0 -> text.append("# TYPE ")
                        .append(name)
                        .append(' ')
                        .append(pick(TYPES))
                        .append('\n');
                case 1 -> text.append("# HELP ")
                        .append(name)
                        .append(' ')
                        .append(value())
                        .append('\n');
                case 2 -> text.append(value()).append('\n'); // not a sample line
                default -> text.append(name)
                        .append(labels())
                        .append(' ')
                        .append(number())
                        .append(random.nextInt(5) == 0 ? " 1700000000000" : "")
                        .append('\n');
            }
        }
        return text.toString();
    }

    String nagios() {
        StringBuilder text = new StringBuilder("OK - ").append(value()).append(" |");
        int items = random.nextInt(10) == 0 ? 1500 : random.nextInt(30);
        for (int i = 0; i < items; i++) {
            String label = random.nextBoolean() ? name() : "'" + value().replace("'", "''") + "'";
            text.append(' ')
                    .append(label)
                    .append('=')
                    .append(random.nextInt(15) == 0 ? "U" : number())
                    .append(pick(UNITS))
                    .append(";1;2;")
                    .append(random.nextInt(3))
                    .append(';')
                    .append(random.nextInt(100));
        }
        return text.append('\n').toString();
    }

    private String name() {
        return random.nextInt(6) == 0 ? "n" + random.nextInt(1000) : pick(NAMES);
    }

    private String labels() {
        int count = random.nextInt(15) == 0 ? 20 : random.nextInt(4);
        if (count == 0 && random.nextBoolean()) {
            return "";
        }
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            String name = random.nextInt(3) == 0 ? pick(LABEL_NAMES) : "l" + i;
            labels.append(i == 0 ? "" : ",")
                    .append(name)
                    .append("=\"")
                    .append(value())
                    .append('"');
        }
        return labels.append('}').toString();
    }

    private String value() {
        return switch (random.nextInt(8)) {
            case 0 -> "v".repeat(random.nextInt(30) == 0 ? 5 * 1024 * 1024 : 250 + random.nextInt(20));
            case 1, 2 -> pick(ODD) + pick(ODD);
            case 3 -> random.ints(1 + random.nextInt(10), 0x20, 0x10FFFF)
                    .filter(cp -> Character.isValidCodePoint(cp)
                            && cp != '"'
                            && cp != '\\'
                            && !Character.isSurrogate((char) cp))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
            default -> "v" + random.nextInt(5);
        };
    }

    private String number() {
        return switch (random.nextInt(8)) {
            case 0 -> "NaN";
            case 1 -> random.nextBoolean() ? "+Inf" : "-Inf";
            case 2 -> "-" + random.nextInt(100);
            case 3 -> "1e308";
            default -> String.valueOf(random.nextInt(100000) / 100.0);
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
