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
                          safe-headers = [accept]
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

    @Test
    void everyHeaderValueIsMaskedUnlessItsHeaderIsMarkedSafe() {
        Config config = ConfigFactory.parseString(
                """
                patrol.checks.shop {
                  url = "https://shop.example.com/health"
                  headers { Cookie = "session=c00kie", X-Tenant = "acme", Accept = "application/json" }
                  safe-headers = [Accept]
                }
                """);

        Config masked = SecretMasking.mask(config);

        assertThat(masked.getString("patrol.checks.shop.headers.Cookie")).isEqualTo(SecretMasking.MASK);
        assertThat(masked.getString("patrol.checks.shop.headers.X-Tenant")).isEqualTo(SecretMasking.MASK);
        assertThat(masked.getString("patrol.checks.shop.headers.Accept")).isEqualTo("application/json");
        assertThat(SecretMasking.render(config)).doesNotContain("c00kie", "acme");
    }

    @Test
    void everyUrlQueryValueAndPasswordIsMaskedUnlessTheParameterIsMarkedSafe() {
        Config config = ConfigFactory.parseString(
                """
                patrol.checks.api {
                  url = "https://api.example.com/v1/orders?token=q5ecret&page=2&limit=10#top"
                  safe-query-params = [page]
                }
                patrol.actions.hook.http.url = "https://bot:p4ss@hooks.example.com/x?sig=s1gn"
                patrol.targets.web { host = "10.0.0.1", note = "not a url ?token=shown" }
                """);

        Config masked = SecretMasking.mask(config);

        assertThat(masked.getString("patrol.checks.api.url"))
                .isEqualTo("https://api.example.com/v1/orders?token=******&page=2&limit=******#top");
        assertThat(masked.getString("patrol.actions.hook.http.url"))
                .isEqualTo("https://bot:******@hooks.example.com/x?sig=******");
        assertThat(masked.getString("patrol.targets.web.note")).isEqualTo("not a url ?token=shown");
        assertThat(SecretMasking.render(config)).doesNotContain("q5ecret", "p4ss", "s1gn");
    }
}
