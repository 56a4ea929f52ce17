package dev.aiprogress.provider.scripted;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The whole reply of the scripted model for one request, worked out up front: the deltas in order
 * and how it ends ({@code failure} empty = completes). Depends only on the request.
 */
record ScriptedReply(List<Delta> deltas, Optional<ProviderFailure> failure) {

    static final String TOOL_CALL_ID = "call_scripted_1";
    static final String DEFAULT_TOOL = "lookup";
    static final String FAIL_MESSAGE = "scripted-fail: the upstream failed in the middle of the answer (demonstration of the error path)";

    ScriptedReply {
        deltas = List.copyOf(deltas);
    }

    static ScriptedReply of(ChatRequest request) {
        ScriptedVariant variant = ScriptedVariant.forModel(request.model());
        ChatMessage last = request.messages().get(request.messages().size() - 1);
        String question = restate(lastUserText(request.messages()));
        boolean answersToolResult = last.role() == ChatMessage.Role.TOOL;
        boolean thinks = request.reasoning() || variant == ScriptedVariant.INLINE;

        String reasoning = thinks ? reasoning(question, variant) : "";
        String answer = answersToolResult ? toolResultAnswer(last.text()) + answer(question) : answer(question);
        List<Delta> out = new ArrayList<>();

        if (variant == ScriptedVariant.INLINE) {
            String content = "<think>" + reasoning + "</think>\n\n" + answer;
            TreeSet<Integer> cuts = new TreeSet<>();
            cuts.add("<th".length());
            cuts.add(content.indexOf("</think>") + "</".length());
            cuts.add(content.indexOf("\uD83D\uDE42") + 1);
            TextCutter.cut(content, cuts, false).forEach(p -> out.add(Delta.content(p)));
        } else {
            TextCutter.cut(reasoning, true).forEach(p -> out.add(Delta.reasoning(p)));
            if (variant == ScriptedVariant.TOOLS && !answersToolResult) {
                answer = "Let me look that up.";
            }
            if (variant == ScriptedVariant.FAIL) {
                answer = answer.substring(0, answer.length() / 2);
            }
            TreeSet<Integer> cuts = new TreeSet<>();
            int emoji = answer.indexOf("\uD83D\uDE42");
            if (emoji >= 0) {
                cuts.add(emoji + 1);
            }
            TextCutter.cut(answer, cuts, false).forEach(p -> out.add(Delta.content(p)));
        }
        if (variant == ScriptedVariant.FAIL) {
            return new ScriptedReply(out, Optional.of(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, FAIL_MESSAGE)));
        }
        String finish = "stop";
        if (variant == ScriptedVariant.TOOLS && !answersToolResult) {
            String tool = request.tools().isEmpty() ? DEFAULT_TOOL : request.tools().get(0).name();
            out.add(new Chunk.ToolCall(TOOL_CALL_ID, tool, "{\"query\":\"" + jsonEscape(question) + "\"}"));
            finish = "tool_calls";
        }
        long input = request.messages().stream().mapToLong(m -> tokens(m.text())).sum();
        long reasoningTokens = tokens(reasoning);
        out.add(new Chunk.Usage(input, reasoningTokens + tokens(answer), OptionalLong.of(reasoningTokens)));
        out.add(new Chunk.Finish(finish));
        return new ScriptedReply(out, Optional.empty());
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).text();
            }
        }
        return "";
    }

    /** The question on one line, at most 80 characters (never cutting a surrogate pair). */
    static String restate(String text) {
        String oneLine = text.strip().replaceAll("[ \t\r\n]+", " ");
        if (oneLine.isEmpty()) {
            return "(an empty message)";
        }
        if (oneLine.codePointCount(0, oneLine.length()) <= 80) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, 79)) + "…";
    }

    private static String reasoning(String question, ScriptedVariant variant) {
        StringBuilder sb = new StringBuilder()
                .append("The user wrote: “").append(question).append("”. That is ")
                .append(words(question)).append(" words.\n")
                .append("Let me plan the answer: restate the question, give three short points, then a small code example.\n")
                .append("A detail worth checking: naïve streaming cuts “multi-byte” characters such as é, 日本語 or 🙂 — they must arrive whole.");
        if (variant == ScriptedVariant.SLOW) {
            for (int step = 1; step <= 40; step++) {
                sb.append("\nStep ").append(step).append(": weighing option ").append(step)
                        .append(" against the others; still thinking about the trade-offs…");
            }
        }
        return sb.toString();
    }

    private static String answer(String question) {
        return "**You asked:** " + question + "\n\n"
                + "Here is a short answer in three points:\n\n"
                + "1. The question has " + words(question) + " words and "
                + question.codePointCount(0, question.length()) + " characters.\n"
                + "2. Streaming sends it in small pieces — even through words like “naïve” and 日本語.\n"
                + "3. Nothing is lost: 🙂 arrives whole.\n\n"
                + "```java\n"
                + "String question = \"" + jsonEscape(question) + "\";\n"
                + "System.out.println(question.length()); // " + question.length() + "\n"
                + "```\n\n"
                + "Done.";
    }

    private static String toolResultAnswer(String toolText) {
        return "**Tool result:** " + restate(toolText) + "\n\n";
    }

    private static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("[ \t\r\n]+").length;
    }

    /** A rough token count: one token per four characters, rounded up. */
    static long tokens(String text) {
        return (text.codePointCount(0, text.length()) + 3) / 4;
    }

    /** Escapes for a JSON (and Java) string literal. */
    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
