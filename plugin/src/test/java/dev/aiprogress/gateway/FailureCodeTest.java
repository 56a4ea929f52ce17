package dev.aiprogress.gateway;

import dev.aiprogress.provider.ProviderFailure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FailureCodeTest {

    @Test
    void of_internalKind_internalCodeAip018() {
        FailureCode code = FailureCode.of(ProviderFailure.Kind.INTERNAL);

        assertEquals(FailureCode.INTERNAL, code);
        assertEquals("AIP-018", code.code());
        assertEquals("internal", code.errorId());
    }

    @Test
    void retryable_internalKind_false() {
        assertFalse(ProviderFailure.of(ProviderFailure.Kind.INTERNAL, "internal error while handling the stream").retryable());
    }
}
