package dev.aiprogress.web.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JmxMetricsTest {

    @Test
    void name_rootAndOtherContexts_areDistinctQuotedNames() {
        assertEquals("dev.aiprogress:type=Generations,context=\"/\"", JmxMetrics.name("Generations", "").toString());
        assertEquals("dev.aiprogress:type=Realtime,context=\"/shop\"", JmxMetrics.name("Realtime", "/shop").toString());
    }
}
