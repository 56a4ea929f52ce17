package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatMessage.Role;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.OpenAiStream;
import dev.aiprogress.testsupport.RecordedRequest;
import dev.aiprogress.testsupport.RecordingListener;
import dev.aiprogress.testsupport.StreamHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exact HTTP request the OpenAI dialect sends. */
class OpenAiRequestTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new OpenAiDialect());

    private RecordedRequest send(ProviderSettings settings, ChatRequest request) throws InterruptedException {
        harness.upstream().enqueue(MockResponse.sse(OpenAiStream.create("m").finish("stop").done().build()));
        RecordingListener listener = new RecordingListener();
        harness.provider(settings).stream(request, listener);
        listener.awaitTerminal(WAIT);
        return harness.upstream().takeRequest(WAIT);
    }

    @Test
    void stream_fullConversation_exactBodyAndHeaders() throws InterruptedException {
        ProviderSettings settings = ProviderSettings.of("openai", "openai", URI.create(harness.upstream().baseUrl() + "/v1/"), "gpt-4o")
                .withApiKey("sk-abc");
        ChatRequest request = new ChatRequest("gpt-4o", List.of(
                ChatMessage.of(Role.SYSTEM, "Be brief."),
                new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=")), Optional.empty(), List.of()),
                new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                        List.of(new ChatMessage.ToolCallRef("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("{\"temp\":21}")), Optional.of("call_1"), List.of()),
                ChatMessage.of(Role.ASSISTANT, "It is 21 °C.")),
                OptionalDouble.of(0.5), OptionalInt.of(256),
                List.of(new ToolSpec("get_weather", "Weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")),
                true, Optional.empty());

        RecordedRequest sent = send(settings, request);

        assertEquals("POST", sent.method());
        assertEquals("/v1/chat/completions", sent.target());
        assertEquals(Optional.of("Bearer sk-abc"), sent.header("Authorization"));
        assertEquals(Optional.of("application/json"), sent.header("Content-Type"));
        assertEquals(Optional.of("text/event-stream"), sent.header("Accept"));
        assertEquals("{\"model\":\"gpt-4o\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":21}\",\"tool_call_id\":\"call_1\"},"
                + "{\"role\":\"assistant\",\"content\":\"It is 21 °C.\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0.5,\"max_tokens\":256,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}", sent.body());
    }

    @Test
    void stream_noKeyBaseWithoutSlash_noAuthorizationHeader() throws InterruptedException {
        ProviderSettings settings = ProviderSettings.of("local", "openai", harness.upstream().baseUrl(), "qwen3");

        RecordedRequest sent = send(settings, ChatRequest.of("qwen3", List.of(ChatMessage.of(Role.USER, "hi"))));

        assertEquals("/chat/completions", sent.target());
        assertEquals(Optional.empty(), sent.header("Authorization"));
        assertEquals("{\"model\":\"qwen3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}", sent.body());
    }

    @Test
    void stream_providerStateWithReasoningDetails_replayedOnLastAssistantMessage() throws InterruptedException {
        ProviderSettings settings = ProviderSettings.of("openrouter", "openai", harness.upstream().baseUrl(), "m");
        ChatRequest request = new ChatRequest("m", List.of(
                ChatMessage.of(Role.USER, "q1"), ChatMessage.of(Role.ASSISTANT, "a1"),
                ChatMessage.of(Role.USER, "q2"), ChatMessage.of(Role.ASSISTANT, "a2"), ChatMessage.of(Role.USER, "q3")),
                OptionalDouble.empty(), OptionalInt.empty(), List.of(), true,
                Optional.of("{\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"xyz\"}]}"));

        RecordedRequest sent = send(settings, request);

        assertEquals("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q1\"},"
                + "{\"role\":\"assistant\",\"content\":\"a1\"},{\"role\":\"user\",\"content\":\"q2\"},"
                + "{\"role\":\"assistant\",\"content\":\"a2\",\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"xyz\"}]},"
                + "{\"role\":\"user\",\"content\":\"q3\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                sent.body());
    }
}
