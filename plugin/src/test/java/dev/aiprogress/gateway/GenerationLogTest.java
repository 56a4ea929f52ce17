package dev.aiprogress.gateway;

import dev.aiprogress.metrics.GenerationRecord;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GenerationLogTest {

    @Test
    void line_finishedGeneration_hasEveryFieldAndTheHashedUser() {
        GenerationRecord r = new GenerationRecord("t-1", "openai", "gpt-4o", "ok", OptionalLong.of(412_300_000L),
                5_310_900_000L, 187);
        // SHA-256("alice") = 2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90
        assertEquals("AIP-030 generation task=t-1 user=2bd806c97f0e provider=openai model=gpt-4o ttft_ms=412 "
                + "duration_ms=5310 chunks=187 outcome=ok", GenerationLog.line(r, "alice"));
    }

    @Test
    void line_noTokenAndAForgedModel_showsDashAndAnInertModel() {
        GenerationRecord r = new GenerationRecord("t-2", "p", "evil\nINFO fake line", "AIP-012", OptionalLong.empty(),
                60_000_000_000L, 0);
        assertEquals("AIP-030 generation task=t-2 user=2bd806c97f0e provider=p model=evil_INFO_fake_line ttft_ms=- "
                + "duration_ms=60000 chunks=0 outcome=AIP-012", GenerationLog.line(r, "alice"));
    }

    @Test
    void userHash_isTwelveHexDigitsOfSha256() {
        assertEquals("2bd806c97f0e", GenerationLog.userHash("alice"));
    }
}
