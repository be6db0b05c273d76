package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Target;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlTemplateTest {
    private static final Target WEB_1 =
            new Target("web-1", "10.0.0.11", 8080, Map.of("env", "prod"), ConfigFactory.empty());

    private static UrlTemplate parse(String text) {
        List<String> problems = new ArrayList<>();
        UrlTemplate template = UrlTemplate.parse(text, problems);
        assertThat(problems).isEmpty();
        return template;
    }

    @Test
    void fillsEveryPlaceholderFromTheTarget() {
        UrlTemplate template = parse("http://{host}:{port}/health?name={target}&env={label.env}");

        assertThat(template.isFixed()).isFalse();
        assertThat(template.render(WEB_1)).isEqualTo(URI.create("http://10.0.0.11:8080/health?name=web-1&env=prod"));
    }

    @Test
    void bracketsAnIpv6Host() {
        Target v6 = new Target("v6", "::1", 80, Map.of(), ConfigFactory.empty());

        assertThat(parse("http://{host}:{port}/").render(v6)).isEqualTo(URI.create("http://[::1]:80/"));
    }

    @Test
    void showsNoQueryValueWhenPrinted() {
        assertThat(parse("https://{host}/v1?token=q5ecret&page={label.env}"))
                .hasToString("https://{host}/v1?token=******&page=******");
    }

    @Test
    void aRenderedUrlThatIsNoUrlIsReportedWithoutItsQuery() {
        Target spaced = new Target("odd", "10.0.0.1", 80, Map.of("env", "a b"), ConfigFactory.empty());
        UrlTemplate template = parse("http://{host}/x?token=q5ecret&env={label.env}");

        assertThatThrownBy(() -> template.render(spaced))
                .hasMessageContaining("not a URL for target odd")
                .hasMessageNotContaining("q5ecret");
    }

    @Test
    void missingLabelFailsTheRunNotTheParse() {
        UrlTemplate template = parse("http://{host}/{label.zone}");

        assertThatThrownBy(() -> template.render(WEB_1)).hasMessageContaining("no label 'zone'");
    }

    @Test
    void fixedUrlIsParsedOnceAndIgnoresTheTarget() {
        UrlTemplate template = parse("https://shop.example.com/health");

        assertThat(template.isFixed()).isTrue();
        assertThat(template.render(WEB_1)).isSameAs(template.fixed());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://shop.example.com/health, shop.example.com, shop.example.com, 443",
        "http://127.0.0.1:8080/, 127.0.0.1:8080, 127.0.0.1, 8080",
        "http://example.com:80/, example.com, example.com, 80",
        "https://example.com:80/, example.com:80, example.com, 80",
    })
    void fixedUrlNamesItsImplicitTarget(String url, String name, String host, int port) {
        HttpCheck check = HttpTestSupport.check("url = \"" + url + "\"");

        assertThat(check.needsTargets()).isFalse();
        assertThat(check.implicitTarget()).isEqualTo(Target.of(name, host, port));
    }

    @Test
    void templatedUrlNeedsTargets() {
        assertThat(HttpTestSupport.check("url = \"http://{host}:{port}/\"").needsTargets())
                .isTrue();
    }
}
