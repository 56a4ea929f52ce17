package dev.aiprogress.realtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryOffsetTest {

    @Test
    void parse_oneNode_aNumber() {
        assertEquals(Optional.of(new RecoveryOffset(17, Optional.empty(), Map.of())), RecoveryOffset.parse("17"));
    }

    @Test
    void parse_manyNodes_numberTagAndWhatTheSocketHadOfEachTask() {
        RecoveryOffset o = RecoveryOffset.parse("42.Qm7xT2ab~12.t-1~3.a.b:c_d").orElseThrow();
        assertEquals(42, o.offset());
        assertEquals(Optional.of("Qm7xT2ab"), o.nodeTag());
        assertEquals(Map.of("t-1", 12L, "a.b:c_d", 3L), o.seen());
        assertEquals(Optional.of(new RecoveryOffset(5, Optional.of("tag"), Map.of())), RecoveryOffset.parse("5.tag"));
    }

    @Test
    void parse_anythingElse_empty() {
        for (String junk : List.of("", "x", "-1", "1.", "1x", "1234567890123456789", "1.ta g", "1.tag~", "1.tag~x.t",
                "1.tag~1.", "1.tag~.t", "1.tag~1.t~2.t", "1.tag~1.t/u", "1.tag~1." + "t".repeat(65))) {
            assertTrue(RecoveryOffset.parse(junk).isEmpty(), junk);
        }
        StringBuilder many = new StringBuilder("1.tag");
        for (int i = 0; i <= RecoveryOffset.MAX_TASKS; i++) {
            many.append("~1.t").append(i);
        }
        assertTrue(RecoveryOffset.parse(many.toString()).isEmpty());
    }
}
