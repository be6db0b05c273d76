package dev.patrol.testing;

/**
 * Closes what a test class started, for {@code @AfterAll} and {@code @AfterEach} methods whose fields may still be
 * {@code null} when setup failed half-way.
 *
 * <pre>{@code
 * @AfterAll
 * static void stop() throws Exception {
 *     Closing.closeAll(pool, sshd);   // the pool before the server it is connected to
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Closing {

    private Closing() {}

    /**
     * Closes each resource that is not {@code null}, in the order given. All are closed even when one fails; the first
     * failure is thrown with the later ones suppressed.
     */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
