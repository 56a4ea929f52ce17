package dev.aiprogress.benchmarks;

import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.anthropic.AnthropicDialect;
import dev.aiprogress.provider.gemini.GeminiDialect;
import dev.aiprogress.provider.ollama.OllamaDialect;
import dev.aiprogress.provider.openai.OpenAiDialect;
import dev.aiprogress.stream.TagRules;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic "recordings" of realistic streaming bodies, one per upstream shape, built in
 * memory (nothing is fetched): the same seed gives the same bytes on every machine, so figures
 * from different runs compare. Each body carries a reasoning part and an answer part cut into
 * token-sized deltas (3–12 characters, some multi-byte, some surrogate pairs, JSON escapes,
 * stray {@code <}), wrapped in the dialect's real frame shape (docs/PROVIDERS.md, one section per dialect) with its
 * keep-alives, and the body is cut into network reads of 1–4 KiB at arbitrary byte positions
 * (so multi-byte characters and lines straddle reads, as they do on a socket).
 */
public final class RecordedStreams {

    /** The recorded upstreams of T10. */
    public enum Kind {
        /** DeepSeek {@code deepseek-reasoner}: {@code reasoning_content} deltas, then {@code content}. */
        DEEPSEEK,
        /** vLLM without a reasoning parser (Qwen3): {@code <think>…</think>} inline in {@code content}. */
        VLLM_THINK_TAGS,
        /** Anthropic Messages: a thinking block (with signature), then a text block, {@code ping}s. */
        ANTHROPIC,
        /** Gemini {@code alt=sse}: {@code thought:true} summary parts, then text parts, CRLF lines. */
        GEMINI,
        /** Ollama native {@code /api/chat}: NDJSON with {@code message.thinking}, then {@code content}. */
        OLLAMA
    }

    /**
     * One recorded body and what the splitter must make of it.
     *
     * @param body      the wire bytes
     * @param readEnds  exclusive end offset of each network read, ascending, the last is {@code body.length}
     * @param reasoning the reasoning text the pipeline must emit, exactly
     * @param answer    the answer text the pipeline must emit, exactly
     * @param deltas    how many token deltas the body carries (reasoning + answer)
     */
    public record Recording(Kind kind, WireDialect dialect, TagRules rules, byte[] body, int[] readEnds,
                            String reasoning, String answer, int deltas) {
    }

    /** About 1 MB per body: big enough that setup costs vanish, small enough for the caches of a laptop. */
    public static final int DEFAULT_BYTES = 1_000_000;

    /** Word pool: mostly ASCII prose, with accents, CJK, dashes, quotes, an emoji, code-ish escapes and a stray '<'. */
    private static final String[] WORDS = {
        "the", "splitter", "holds", "a", "tag", "prefix", "until", "next", "delta", "arrives", "so", "nothing",
        "is", "lost", "when", "bytes", "are", "cut", "between", "reads", "we", "need", "to", "check", "whether",
        "answer", "should", "mention", "latency", "throughput", "and", "memory", "per", "socket", "first",
        "token", "then", "compare", "option", "user", "asked", "about", "HTTP/2", "streams", "Let", "me",
        "think", "Okay,", "so", "wait,", "actually", "9.11", "vs", "9.9:", "compare", "decimals", "carefully.",
        "naïve", "café", "Größe", "über", "façade", "—", "“quoted”", "日本語", "の", "テスト", "中文", "🙂",
        "x < y", "a<b", "i++;", "\"path\"", "C:\\temp", "{\"k\":1}", "\t", "résumé", "Ωmega", "€5",
    };

    private RecordedStreams() {
    }

    public static Recording record(Kind kind) {
        return record(kind, DEFAULT_BYTES, 20261124L + kind.ordinal());
    }

    public static Recording record(Kind kind, int targetBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // Reasoning is the larger part for a reasoning model; the answer follows. Text is generated
        // generously and the frames stop once the body reaches its target size.
        int textChars = targetBytes / 3;
        String reasoning = prose(random, textChars * 2 / 3);
        String answer = prose(random, textChars / 3);
        List<String> reasoningPieces = pieces(random, reasoning);
        List<String> answerPieces = pieces(random, answer);
        Body body = new Body(kind, random);
        // Both parts are trimmed to what fits the target, keeping the reasoning:answer ratio.
        int[] counts = body.fit(reasoningPieces, answerPieces, targetBytes);
        reasoningPieces = endOnNonBlank(reasoningPieces.subList(0, counts[0]));
        answerPieces = endOnNonBlank(answerPieces.subList(0, counts[1]));
        byte[] bytes = body.render(reasoningPieces, answerPieces);
        return new Recording(kind, dialect(kind), rules(kind), bytes, reads(random, bytes.length),
                String.join("", reasoningPieces), String.join("", answerPieces),
                reasoningPieces.size() + answerPieces.size());
    }

    static WireDialect dialect(Kind kind) {
        switch (kind) {
            case DEEPSEEK:
            case VLLM_THINK_TAGS:
                return new OpenAiDialect();
            case ANTHROPIC:
                return new AnthropicDialect();
            case GEMINI:
                return new GeminiDialect();
            case OLLAMA:
                return new OllamaDialect();
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    /** The defaults a deployment uses: tags {@code think}/{@code thinking}, LEADING, no implicit start. */
    static TagRules rules(Kind kind) {
        return TagRules.DEFAULT;
    }

    /** Prose that starts and ends with a non-blank character, so the expected output is the text itself. */
    static String prose(SplittableRandom random, int chars) {
        StringBuilder sb = new StringBuilder(chars + 32);
        sb.append("Okay");
        while (sb.length() < chars) {
            int r = random.nextInt(100);
            if (r < 3) {
                sb.append(".\n\n");
            } else if (r < 5) {
                sb.append(",\n- ");
            } else {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        sb.append('.');
        return sb.toString();
    }

    /**
     * A part cut short must still end on a non-blank character: the splitter rightly drops
     * whitespace before {@code </think>} (docs/SPLITTER.md, rule 6), and the expected output is the text itself.
     */
    static List<String> endOnNonBlank(List<String> pieces) {
        List<String> out = new ArrayList<>(pieces);
        while (!out.isEmpty()) {
            String last = out.get(out.size() - 1).stripTrailing();
            if (!last.isEmpty()) {
                out.set(out.size() - 1, last);
                break;
            }
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Token-sized pieces of 3–12 characters, never splitting a surrogate pair (a tokenizer never does). */
    static List<String> pieces(SplittableRandom random, String text) {
        List<String> out = new ArrayList<>(text.length() / 6);
        int i = 0;
        while (i < text.length()) {
            int end = Math.min(text.length(), i + 3 + random.nextInt(10));
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            out.add(text.substring(i, end));
            i = end;
        }
        return out;
    }

    /** Network reads of 1–4 KiB; the cuts fall anywhere, inside UTF-8 sequences and CRLFs too. */
    static int[] reads(SplittableRandom random, int length) {
        List<Integer> ends = new ArrayList<>();
        int at = 0;
        while (at < length) {
            at = Math.min(length, at + 1024 + random.nextInt(3 * 1024 + 1));
            ends.add(at);
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Renders one dialect's frames. */
    private static final class Body {
        private final Kind kind;
        private final long seed;
        private final String id;

        Body(Kind kind, SplittableRandom random) {
            this.kind = kind;
            this.seed = random.nextLong();
            this.id = Long.toHexString(random.nextLong());
        }

        /** How many reasoning and answer pieces fit {@code targetBytes}, keeping their ratio. */
        int[] fit(List<String> reasoning, List<String> answer, int targetBytes) {
            int total = render(reasoning, answer).length;
            double scale = Math.min(1.0, (double) targetBytes / total);
            return new int[] {Math.max(1, (int) (reasoning.size() * scale)), Math.max(1, (int) (answer.size() * scale))};
        }

        byte[] render(List<String> reasoning, List<String> answer) {
            StringBuilder out = new StringBuilder(1 << 20);
            // Every rendering draws the same keep-alive positions, so fit() measures what render() gives.
            SplittableRandom r = new SplittableRandom(seed);
            switch (kind) {
                case DEEPSEEK:
                    deepseek(out, r, reasoning, answer);
                    break;
                case VLLM_THINK_TAGS:
                    vllm(out, r, reasoning, answer);
                    break;
                case ANTHROPIC:
                    anthropic(out, r, reasoning, answer);
                    break;
                case GEMINI:
                    gemini(out, reasoning, answer);
                    break;
                case OLLAMA:
                    ollama(out, reasoning, answer);
                    break;
                default:
                    throw new IllegalArgumentException(kind.toString());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.length() * 2);
            bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
            return bytes.toByteArray();
        }

        private String openAiChunk(String model, String delta, String finish) {
            return "data: {\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                    + "\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_8802369eaa_prod0623_fp8_kvcache\","
                    + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                    + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
        }

        private void deepseek(StringBuilder out, SplittableRandom r, List<String> reasoning, List<String> answer) {
            String model = "deepseek-reasoner";
            // DeepSeek sends keep-alive comments while the request waits for capacity, then streams.
            out.append(": keep-alive\n\n: keep-alive\n\n");
            out.append(openAiChunk(model, "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}", null));
            for (String piece : reasoning) {
                keepAlive(out, r, ": keep-alive\n\n");
                out.append(openAiChunk(model, "{\"content\":null,\"reasoning_content\":" + quote(piece) + "}", null));
            }
            for (String piece : answer) {
                keepAlive(out, r, ": keep-alive\n\n");
                out.append(openAiChunk(model, "{\"content\":" + quote(piece) + ",\"reasoning_content\":null}", null));
            }
            String last = openAiChunk(model, "{\"content\":\"\",\"reasoning_content\":null}", "stop");
            out.append(last, 0, last.length() - 3).append(",\"usage\":{\"prompt_tokens\":16,\"completion_tokens\":")
                    .append(reasoning.size() + answer.size()).append(",\"total_tokens\":").append(16 + reasoning.size() + answer.size())
                    .append(",\"prompt_cache_hit_tokens\":0,\"prompt_cache_miss_tokens\":16,\"completion_tokens_details\":{\"reasoning_tokens\":")
                    .append(reasoning.size()).append("}}}\n\n");
            out.append("data: [DONE]\n\n");
        }

        private void vllm(StringBuilder out, SplittableRandom r, List<String> reasoning, List<String> answer) {
            String model = "Qwen/Qwen3-32B";
            // Without --reasoning-parser the model's tags stay in content; the tokenizer emits them
            // as tokens of their own, with the newlines the chat template puts around them.
            List<String> content = new ArrayList<>(reasoning.size() + answer.size() + 3);
            content.add("<think>");
            content.add("\n");
            content.addAll(reasoning);
            content.add("\n</think>\n\n");
            content.addAll(answer);
            out.append(openAiChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (String piece : content) {
                keepAlive(out, r, ": ping - 2025-11-24 06:00:00.000000\n\n");
                out.append(openAiChunk(model, "{\"content\":" + quote(piece) + "}", null));
            }
            out.append(openAiChunk(model, "{\"content\":\"\"}", "stop"));
            out.append("data: {\"id\":\"chatcmpl-").append(id).append("\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,")
                    .append("\"model\":\"").append(model).append("\",\"choices\":[],\"usage\":{\"prompt_tokens\":21,\"total_tokens\":")
                    .append(21 + content.size()).append(",\"completion_tokens\":").append(content.size()).append("}}\n\n");
            out.append("data: [DONE]\n\n");
        }

        private void anthropic(StringBuilder out, SplittableRandom r, List<String> reasoning, List<String> answer) {
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + id + "\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,"
                    + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}");
            event(out, "ping", "{\"type\": \"ping\"}");
            for (String piece : reasoning) {
                anthropicPing(out, r);
                event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":"
                        + quote(piece) + "}}");
            }
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\""
                    + "EqQBCkgIARABGAIiQL".repeat(12) + "==\"}}");
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            for (String piece : answer) {
                anthropicPing(out, r);
                event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":"
                        + quote(piece) + "}}");
            }
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
            event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                    + "\"usage\":{\"output_tokens\":" + (reasoning.size() + answer.size()) + "}}");
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
        }

        private void anthropicPing(StringBuilder out, SplittableRandom r) {
            if (r.nextInt(200) == 0) {
                event(out, "ping", "{\"type\": \"ping\"}");
            }
        }

        private static void event(StringBuilder out, String name, String data) {
            out.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
        }

        /** Gemini's SSE uses CRLF line ends and repeats the cumulative usage on every frame. */
        private void gemini(StringBuilder out, List<String> reasoning, List<String> answer) {
            int frames = reasoning.size() + answer.size();
            int n = 0;
            for (String piece : reasoning) {
                n++;
                geminiFrame(out, "{\"text\":" + quote(piece) + ",\"thought\":true}", null, 0, n);
            }
            for (String piece : answer) {
                n++;
                geminiFrame(out, "{\"text\":" + quote(piece) + "}", n == frames ? "STOP" : null, n - reasoning.size(), reasoning.size());
            }
        }

        private void geminiFrame(StringBuilder out, String part, String finish, int candidates, int thoughts) {
            out.append("data: {\"candidates\":[{\"content\":{\"parts\":[").append(part).append("],\"role\":\"model\"}");
            if (finish != null) {
                out.append(",\"finishReason\":\"").append(finish).append('"');
            }
            out.append(",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":").append(candidates)
                    .append(",\"totalTokenCount\":").append(12 + candidates + thoughts)
                    .append(",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":12}],\"thoughtsTokenCount\":").append(thoughts)
                    .append("},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"").append(id).append("\"}\r\n\r\n");
        }

        private void ollama(StringBuilder out, List<String> reasoning, List<String> answer) {
            long ms = 518;
            for (String piece : reasoning) {
                ollamaLine(out, ms++, "\"content\":\"\",\"thinking\":" + quote(piece));
            }
            for (String piece : answer) {
                ollamaLine(out, ms++, "\"content\":" + quote(piece));
            }
            out.append("{\"model\":\"qwen3:8b\",\"created_at\":\"2025-12-08T06:23:02.").append(ms)
                    .append("Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",")
                    .append("\"total_duration\":4353619900,\"load_duration\":63915300,\"prompt_eval_count\":10,")
                    .append("\"prompt_eval_duration\":246847000,\"eval_count\":").append(reasoning.size() + answer.size())
                    .append(",\"eval_duration\":4032296000}\n");
        }

        private static void ollamaLine(StringBuilder out, long ms, String message) {
            out.append("{\"model\":\"qwen3:8b\",\"created_at\":\"2025-12-08T06:23:0").append(2 + ms / 1000).append('.')
                    .append(ms % 1000).append("123456Z\",\"message\":{\"role\":\"assistant\",").append(message)
                    .append("},\"done\":false}\n");
        }

        /** A keep-alive comment now and then (about one per 150 frames), as proxies and gateways send. */
        private static void keepAlive(StringBuilder out, SplittableRandom r, String comment) {
            if (r.nextInt(150) == 0) {
                out.append(comment);
            }
        }
    }

    /** JSON string literal: escapes what JSON requires and leaves other characters raw UTF-8, as these servers do. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
