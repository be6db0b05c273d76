package dev.patrol.core.job;

/**
 * The threads a download starts for its own work (writing, hashing, reading a range): daemon threads with a fixed
 * name, never the file's name, which may hold a newline. Stateless.
 */
final class WorkerThreads {
    private WorkerThreads() {}

    /** Starts {@code body} on a new daemon thread named {@code name}. */
    static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Waits for {@code thread} to end even when interrupted, then restores the interrupt: its owner must not go on
     * (and delete the file) while the thread still writes it.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
