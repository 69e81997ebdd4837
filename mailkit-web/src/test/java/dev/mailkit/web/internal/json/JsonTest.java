package dev.mailkit.web.internal.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void writesEveryControlAndMarkupCharacterEscaped() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\r\t\u0001</script><!-- & \u2028\u2029");
        m.put("n", List.of(1, 2.5, -3L, true, false));
        m.put("null", null);
        assertThat(Json.write(m)).isEqualTo("{\"s\":\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u003c/script\\u003e\\u003c!-- "
                + "\\u0026 \\u2028\\u2029\",\"n\":[1,2.5,-3,true,false],\"null\":null}");
        assertThat(Json.parse(Json.write(m))).isEqualTo(m.entrySet().stream().collect(LinkedHashMap::new,
                (x, e) -> x.put(e.getKey(), e.getKey().equals("n") ? List.of(1L, new BigDecimal("2.5"), -3L, true,
                        false) : e.getValue()), Map::putAll));
    }

    @Test
    void parsesStrictly() {
        assertThat(Json.parse(" {\"a\" : [1, \"\\u00fc\\/\", {\"b\": null}] } ")).isEqualTo(Map.of("a",
                List.of(1L, "ü/", java.util.Collections.singletonMap("b", null))));
        assertThat(Json.parse("123456789012345678901234567890")).isEqualTo(new BigDecimal(
                "123456789012345678901234567890"));
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "'a'", "01", "1.", "-", "{a:1}", "[1] x",
                "\"\u0001\"", "\"\\x\"", "\"\\u12\"", "nul", "{\"a\" 1}", "// c\n1")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.JsonException.class);
        }
    }

    @Test
    void refusesDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(Json.JsonException.class).hasMessageContaining("64");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
    }
}
