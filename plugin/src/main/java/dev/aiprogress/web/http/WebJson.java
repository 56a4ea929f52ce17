package dev.aiprogress.web.http;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParserFactory;

import java.util.Map;

/**
 * The web layer's JSON-P factories, looked up once per deployment. Every {@code Json.create…} call
 * runs a {@code ServiceLoader} lookup of the provider: measured at ≈0.5 ms of a chat request's
 * ≈0.7 ms of parsing on the load harness (issue 6), the largest part of the plugin's own share of
 * the time to first token.
 */
public final class WebJson {

    public static final JsonProvider PROVIDER = JsonProvider.provider();
    static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
    static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private WebJson() {
    }
}
