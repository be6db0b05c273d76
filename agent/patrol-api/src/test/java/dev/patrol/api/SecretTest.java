package dev.patrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void revealsItsValueOnlyWhenAsked() {
        Secret secret = new Secret("hunter2");

        assertThat(secret.reveal()).isEqualTo("hunter2");
        assertThat(secret).hasToString("******");
    }

    @Test
    void neverShowsInStringsBuiltAroundIt() {
        Secret secret = new Secret("hunter2");

        assertThat("password=" + secret).isEqualTo("password=******");
        assertThat(String.valueOf(List.of(secret))).doesNotContain("hunter2");
        assertThat(Map.of("password", secret).toString()).doesNotContain("hunter2");
    }

    @Test
    void twoSecretsAreEqualWhenTheirValuesAre() {
        assertThat(new Secret("a")).isEqualTo(new Secret("a")).hasSameHashCodeAs(new Secret("a"));
        assertThat(new Secret("a")).isNotEqualTo(new Secret("b")).isNotEqualTo("a");
    }

    @Test
    void hasAValue() {
        assertThatThrownBy(() -> new Secret(null)).isInstanceOf(NullPointerException.class);
    }
}
