package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskingTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "password",
                "basic-auth-password",
                "Client-Secret",
                "token",
                "bearer-token-file",
                "basic-auth-users",
                "passphrase",
                "api-key",
                "private-key",
                "Authorization"
            })
    void secretLookingKeysAreMasked(String key) {
        assertThat(SecretMasking.isSecretKey(key)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"host", "keys", "key-file-mode", "user", "known-hosts", "monkey"})
    void otherKeysAreShown(String key) {
        assertThat(SecretMasking.isSecretKey(key)).isFalse();
    }

    @Test
    void rendersHoconWithoutSecretsOrEnvironmentValues() {
        String home = System.getenv("HOME");
        Config config = ConfigFactory.parseString(
                        """
                        patrol.checks.api {
                          url = "https://api.example.com/"
                          password = "hunter2"
                          auth { api-key = "k-123", user = "patrol" }
                          headers = [{ Authorization = "Bearer abc" }, { Accept = "text/plain" }]
                          home = ${?HOME}
                        }
                        """)
                .resolve();

        String rendered = SecretMasking.render(config);

        assertThat(rendered)
                .contains("https://api.example.com/", "patrol", "text/plain", SecretMasking.MASK)
                .doesNotContain("hunter2", "k-123", "Bearer abc")
                .doesNotContain("\"url\"");
        if (home != null) {
            assertThat(rendered).doesNotContain(home).contains("<env variable>");
        }
        assertThat(ConfigFactory.parseString(rendered).getString("patrol.checks.api.password"))
                .isEqualTo(SecretMasking.MASK);
    }
}
