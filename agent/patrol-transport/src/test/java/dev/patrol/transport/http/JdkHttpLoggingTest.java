package dev.patrol.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdkHttpLoggingTest {

    @AfterEach
    void clear() {
        JdkHttpLogging.PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void thePoolTurnsTheJdkClientTracingOffBeforeItsFirstClient() {
        System.setProperty("jdk.internal.httpclient.debug", "true");
        System.setProperty("jdk.httpclient.HttpClient.log", "all");

        try (HttpClientPool pool = new HttpClientPool(1)) {
            assertThat(System.getProperty("jdk.internal.httpclient.debug")).isNull();
            assertThat(System.getProperty("jdk.httpclient.HttpClient.log")).isNull();
            assertThat(pool.size()).isZero();
        }
    }

    @Test
    void nothingIsClearedOrReportedWhenTracingIsOff() {
        assertThat(JdkHttpLogging.suppress()).isEmpty();
    }
}
