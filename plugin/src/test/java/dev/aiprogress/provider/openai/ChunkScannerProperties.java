package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.stream.Delta;
import jakarta.json.spi.JsonProvider;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scanner's shortcut and JSON-P's general path read every frame alike: random chunk frames —
 * the common shape and every shape the scanner must hand over (tool calls, usage, errors, several
 * choices, odd indexes, escapes, surrogates, whitespace, reordered and unknown keys, cut or broken
 * JSON) — give the same deltas, result and failure through a parser with the shortcut and one without.
 */
class ChunkScannerProperties {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Property(tries = 2000)
    void fastPathAndGeneralPath_readEveryFrameAlike(@ForAll long seed) {
        Random r = new Random(seed);
        String frame = frame(r);
        assertEquals(outcome(new OpenAiFrameParser(JSON, false), frame), outcome(new OpenAiFrameParser(JSON, true), frame),
                frame);
    }

    @Test
    void scan_commonShapes_takesTheShortcut() {
        ChunkScanner s = new ChunkScanner();
        assertTrue(s.scan("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"deepseek-reasoner\","
                + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi \\\"x\\\" \\u00e9\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}"));
        assertEquals("Hi \"x\" é", s.content);
        assertTrue(s.scan("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"why\",\"content\":null},\"finish_reason\":\"stop\"}],\"usage\":null}"));
        assertEquals("why", s.reasoningContent);
        assertEquals("stop", s.finishReason);
        assertFalse(s.scan("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}"));
        assertFalse(s.scan("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}"));
        assertFalse(s.scan("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]} x"));
        assertFalse(s.scan("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\u0001\"}}]}"));
    }

    /** What a parser made of one frame: its deltas and result, or its failure. */
    private static String outcome(OpenAiFrameParser parser, String frame) {
        List<Delta> deltas = new ArrayList<>();
        try {
            FrameParser.Result result = parser.onFrame("", frame, deltas::add);
            return result + " " + deltas;
        } catch (FrameParser.StreamFailure e) {
            return "failure " + e.failure() + " after " + deltas;
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName() + " after " + deltas;
        }
    }

    private static final String[] STRINGS = {"", "a", "Hello", " w12 1234;", "é ü 中文", "\\\"q\\\"", "back\\\\slash",
            "line\\nbreak\\t", "\\u00e9\\u4e2d", "\\ud83d\\ude00", "\\ud83d", "sla\\/sh", "<think>", "\\u0041\\u0042"};

    private static String str(Random r) {
        return "\"" + STRINGS[r.nextInt(STRINGS.length)] + "\"";
    }

    private static String ws(Random r) {
        return r.nextInt(4) == 0 ? new String[] {" ", "\n", "\t ", "\r\n  "}[r.nextInt(4)] : "";
    }

    private static String scalar(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> str(r);
            case 1 -> "null";
            case 2 -> "true";
            case 3 -> "false";
            case 4 -> Integer.toString(r.nextInt(2000) - 1000);
            default -> "1.5e3";
        };
    }

    private static String object(Random r, List<String> members) {
        Collections.shuffle(members, r);
        StringBuilder b = new StringBuilder("{").append(ws(r));
        for (int k = 0; k < members.size(); k++) {
            b.append(k > 0 ? "," + ws(r) : "").append(members.get(k));
        }
        return b.append(ws(r)).append("}").toString();
    }

    private static String member(Random r, String key, String value) {
        return "\"" + key + "\"" + ws(r) + ":" + ws(r) + value;
    }

    private static String delta(Random r) {
        List<String> m = new ArrayList<>();
        String[] keys = {"role", "content", "reasoning_content", "reasoning", "thinking", "refusal", "x"};
        for (String k : keys) {
            if (r.nextInt(3) == 0) {
                m.add(member(r, k, r.nextInt(5) == 0 ? scalar(r) : str(r)));
            }
        }
        if (r.nextInt(15) == 0) {
            m.add(member(r, "tool_calls", "[{\"index\":0,\"id\":\"t\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]"));
        }
        if (r.nextInt(15) == 0) {
            m.add(member(r, "reasoning_details", "[{\"type\":\"reasoning.text\",\"text\":\"x\"}]"));
        }
        return object(r, m);
    }

    private static String choice(Random r) {
        List<String> m = new ArrayList<>();
        m.add(member(r, "index", new String[] {"0", "0", "0", "1", "\"0\"", "0.0", "-0"}[r.nextInt(7)]));
        if (r.nextInt(6) != 0) {
            m.add(member(r, "delta", r.nextInt(20) == 0 ? "null" : delta(r)));
        }
        if (r.nextInt(2) == 0) {
            m.add(member(r, "finish_reason", r.nextInt(2) == 0 ? "null" : new String[] {"\"stop\"", "\"length\"", "\"tool_calls\"", "7"}[r.nextInt(4)]));
        }
        if (r.nextInt(3) == 0) {
            m.add(member(r, "logprobs", r.nextInt(5) == 0 ? "{\"content\":[]}" : "null"));
        }
        return object(r, m);
    }

    private static String frame(Random r) {
        List<String> m = new ArrayList<>();
        m.add(member(r, "id", str(r)));
        m.add(member(r, "object", "\"chat.completion.chunk\""));
        m.add(member(r, "created", Integer.toString(r.nextInt(100000))));
        m.add(member(r, "model", "\"deepseek-reasoner\""));
        int choices = r.nextInt(10) == 0 ? r.nextInt(3) : 1;
        if (r.nextInt(20) == 0) {
            m.add(member(r, "choices", scalar(r)));
        } else if (r.nextInt(25) != 0) {
            StringBuilder a = new StringBuilder("[");
            for (int k = 0; k < choices; k++) {
                a.append(k > 0 ? "," : "").append(ws(r)).append(choice(r));
            }
            m.add(member(r, "choices", a.append(ws(r)).append("]").toString()));
        }
        if (r.nextInt(8) == 0) {
            m.add(member(r, "usage", r.nextInt(2) == 0 ? "null" : "{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}"));
        }
        if (r.nextInt(10) == 0) {
            m.add(member(r, "error", new String[] {"null", "false", "{\"message\":\"boom\"}", "\"boom\"", "0"}[r.nextInt(5)]));
        }
        if (r.nextInt(10) == 0) {
            m.add(member(r, "x_extra", r.nextInt(2) == 0 ? scalar(r) : "{\"a\":[1,2]}"));
        }
        String text = ws(r) + object(r, m) + ws(r);
        switch (r.nextInt(12)) {
            case 0 -> text = text.substring(0, r.nextInt(text.length())); // cut anywhere
            case 1 -> text = text + " x";                                // trailing text
            case 2 -> text = text.replaceFirst("\"Hello\"", "\"Hel\u0001lo\"");  // a raw control character
            case 3 -> text = text.replaceFirst(",", ",,");               // broken syntax
            default -> { }
        }
        return text;
    }
}
