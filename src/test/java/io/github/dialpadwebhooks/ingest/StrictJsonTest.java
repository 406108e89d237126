package io.github.dialpadwebhooks.ingest;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StrictJsonTest {

    private final StrictJson json = new StrictJson();

    @Test
    void should_write_the_same_canonical_text_for_reformatted_json() {
        String a = StrictJson.canonical(json.parseObject("{\"b\":[1,2.50,\"\\u00e9\\n\"],\"a\":{\"y\":null,\"x\":false}}", "t"));
        String b = StrictJson.canonical(json.parseObject(" { \"a\" : { \"x\" : false , \"y\" : null } ,\n \"b\" : [ 1 , 25e-1 , \"\u00e9\\u000a\" ] } ", "t"));

        assertThat(a).isEqualTo(b).isEqualTo("{\"a\":{\"x\":false,\"y\":null},\"b\":[1,2.5,\"\u00e9\\n\"]}");
    }

    @Test
    void should_write_numbers_as_their_exact_value() {
        assertThat(StrictJson.canonicalNumber(new BigDecimal("9007199254740993"))).isEqualTo("9007199254740993");
        assertThat(StrictJson.canonicalNumber(new BigDecimal("1.500"))).isEqualTo("1.5");
        assertThat(StrictJson.canonicalNumber(new BigDecimal("1e3"))).isEqualTo("1000");
        assertThat(StrictJson.canonicalNumber(new BigDecimal("-0.0"))).isEqualTo("0");
        assertThat(StrictJson.canonicalNumber(new BigDecimal("1e500"))).isEqualTo("1E+500");
    }
}
