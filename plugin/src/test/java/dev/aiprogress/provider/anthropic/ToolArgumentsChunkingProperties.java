package dev.aiprogress.provider.anthropic;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.FrameFeed;
import dev.aiprogress.stream.Chunk;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** However Anthropic cuts {@code partial_json}, the assembled tool call is the same (docs/SPLITTER.md rule 11, for tools). */
class ToolArgumentsChunkingProperties {

    private static final String ARGS = "{\"city\": \"Paris \\\"Île\\\" 日本 🙂\", \"days\": [1, 2, 3], \"units\": null}";
    private static final String COMPACT = "{\"city\":\"Paris \\\"Île\\\" 日本 🙂\",\"days\":[1,2,3],\"units\":null}";

    @Property(tries = 200)
    void anyRechunking_givesTheSameToolCall(@ForAll @Size(max = 12) List<@IntRange(min = 0, max = 70) Integer> cuts) {
        List<String> fragments = new ArrayList<>();
        fragments.add("");
        int start = 0;
        for (int cut : new TreeSet<>(cuts)) {
            int at = Math.min(cut, ARGS.length());
            if (at > start) {
                fragments.add(ARGS.substring(start, at));
                start = at;
            }
        }
        fragments.add(ARGS.substring(start));

        ChatRequest request = ChatRequest.of("claude-x", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi")));
        FrameFeed f = new FrameFeed(new AnthropicDialect().newParser(request, FrameFeed.JSON));
        f.frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}");
        for (String fragment : fragments) {
            String partial = FrameFeed.JSON.createObjectBuilder().add("type", "input_json_delta").add("partial_json", fragment).build().toString();
            f.frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":" + partial + "}");
        }
        f.frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");

        assertNull(f.failure());
        assertEquals(List.of(new Chunk.ToolCall("toolu_1", "get_weather", COMPACT)), f.deltas);
    }
}
