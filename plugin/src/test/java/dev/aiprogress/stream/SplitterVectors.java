package dev.aiprogress.stream;

import static dev.aiprogress.stream.SplitterVector.ANYWHERE;
import static dev.aiprogress.stream.SplitterVector.START_IN_REASONING;
import static dev.aiprogress.stream.SplitterVector.content;
import static dev.aiprogress.stream.SplitterVector.nativeReasoning;
import static dev.aiprogress.stream.SplitterVector.oneCharEach;
import static dev.aiprogress.stream.SplitterVector.toolCall;
import static dev.aiprogress.stream.SplitterVector.usage;
import static dev.aiprogress.stream.SplitterVector.vector;

import java.util.ArrayList;
import java.util.List;

/** The vectors of docs/SPLITTER.md and our own nastier ones, shared by the example and property tests. */
final class SplitterVectors {

    private SplitterVectors() {
    }

    /** docs/SPLITTER.md vectors 1-23 and N1, N2 as the splitter sees them. */
    static List<SplitterVector> spec() {
        return List.of(
                vector("1", "<think>abc</think>def").r("abc").t("def").build(),
                vector("2", "<th", "ink>abc</think>def").r("abc").t("def").build(),
                vector("3", "<think>abc</th", "ink>def").r("abc").t("def").build(),
                vector("4", oneCharEach("<think>ab</think>cd")).r("ab").t("cd").build(),
                vector("5", "<think>", "x", "</", "think", ">", "y").r("x").t("y").build(),
                vector("6", "Hello <think>x</think> world").t("Hello <think>x</think> world").build(),
                vector("7", "abc</think>def").rules(START_IN_REASONING).r("abc").t("def").build(),
                vector("8", "abc</think>def").t("abc</think>def").build(),
                vector("9", "</think>Answer").t("Answer").build(),
                vector("10", "<think>abc").r("abc").unclosed().build(),
                vector("11", "if (a<", "b) return;").t("if (a<b) return;").build(),
                vector("12", "<think", "er>x</thinker>y").t("<thinker>x</thinker>y").build(),
                vector("13", "<thinking>x</thinking>y").r("x").t("y").build(),
                vector("14", "<THINK>x</Think>y").r("x").t("y").build(),
                vector("15", "<think>a</think>b<think>c</think>d").r("a").t("b<think>c</think>d").build(),
                vector("16", "<think>a</think>b<think>c</think>d").rules(ANYWHERE).r("ac").t("bd").blocks(2).build(),
                vector("17", "<think>x</think>\n\nHello").r("x").t("Hello").build(),
                vector("18", "\n\n<think>x</think>y").r("x").t("y").build(),
                vector("19", "<think></think>Answer").t("Answer").blocks(0).build(),
                vector("20", "", "<think>", "", "a", "", "</think>", "", "b").r("a").t("b").build(),
                vector("21", "<th", "e end").t("<the end").build(),
                vector("22", "<think>日本", "語</think>🙂", "ok").r("日本語").t("🙂ok").build(),
                vector("23", "<think>x</think>", "a <", "b").r("x").t("a <b").build(),
                vector("N1").deltas(nativeReasoning("r1"), nativeReasoning("r2"), content("ans"))
                        .r("r1r2").t("ans").sequence(new Chunk.Reasoning("r1r2"), new Chunk.Text("ans")).build(),
                vector("N2").deltas(nativeReasoning("end."), content("Ans"))
                        .r("end.").t("Ans").sequence(new Chunk.Reasoning("end."), new Chunk.Text("Ans")).build());
    }

    /** Our own vectors: cut tags, held prefixes at the end, whitespace, surrogates, options, pass-through. */
    static List<SplitterVector> own() {
        String spaces5k = " ".repeat(5 * 1024);
        String spacesAtCap = " ".repeat(ReasoningSplitter.WHITESPACE_CAP);
        TagRules reasoningAndThought = new TagRules(List.of("reasoning", "thought"), TagRules.Mode.LEADING, false);
        List<SplitterVector> vectors = new ArrayList<>(List.of(
                vector("lt at end of stream", "<").t("<").build(),
                vector("lt at end of stream, ANYWHERE", "abc <").rules(ANYWHERE).t("abc <").build(),
                vector("closer without > at end", "<think>abc</think").r("abc</think").unclosed().build(),
                vector("closer prefix after whitespace at end", "<think>a \n</thi").r("a \n</thi").unclosed().build(),
                vector("opener prefix at end", "<thinkin").t("<thinkin").build(),
                vector("whitespace and opener prefix at end", "\n", "<thi").t("\n<thi").build(),
                vector("opener inside reasoning is literal", "<think>a<think>b</think>c").r("a<think>b").t("c").build(),
                vector("other closer inside explicit block is literal", "<think>a</thinking>b</think>c")
                        .r("a</thinking>b").t("c").build(),
                vector("whitespace-only reasoning", "<think> \n\t ", " </think>Answer").t("Answer").blocks(0).build(),
                vector("5 KiB whitespace before closer is kept", "<think>a" + spaces5k + "</think>b")
                        .r("a" + spaces5k).t("b").build(),
                vector("whitespace run at the cap is still dropped", "<think>a", spacesAtCap, "</think>b").r("a").t("b").build(),
                vector("5 KiB leading whitespace makes the opener literal", spaces5k + "<think>x</think>y")
                        .t(spaces5k + "<think>x</think>y").build(),
                vector("leading whitespace at the cap is dropped before an opener", spacesAtCap, "<think>x</think>y")
                        .r("x").t("y").build(),
                vector("surrogate pair cut between chunks", "a\uD83D", "\uDE42b").t("a🙂b").build(),
                vector("surrogate pairs cut at tag boundaries", "<think>\uD83D", "\uDE42</think>\uD83D", "\uDE42")
                        .r("🙂").t("🙂").build(),
                vector("CRLF", "\r\n<think>\r\nx\r\n</think>\r\n\r\nHello\r\nWorld").r("x").t("Hello\r\nWorld").build(),
                vector("ANYWHERE with an unclosed second block", "<think>a</think>b<think>c").rules(ANYWHERE)
                        .r("ac").t("b").blocks(2).unclosed().build(),
                vector("ANYWHERE opener mid-text", "a<think>b</think>c").rules(ANYWHERE).r("b").t("ac").build(),
                vector("ANYWHERE closer outside a block is literal", "a</think>b").rules(ANYWHERE).t("a</think>b").build(),
                vector("startInReasoning with an explicit opener", "\n<think>abc</think>def").rules(START_IN_REASONING)
                        .r("abc").t("def").build(),
                vector("startInReasoning, explicit opener needs its own closer", "<think>a</thinking>b</think>c")
                        .rules(START_IN_REASONING).r("a</thinking>b").t("c").build(),
                vector("startInReasoning, implicit block ends at any closer", "abc</thinking>def")
                        .rules(START_IN_REASONING).r("abc").t("def").build(),
                vector("startInReasoning, no closer", "abc").rules(START_IN_REASONING).r("abc").unclosed().build(),
                vector("custom tag reasoning", "<reasoning>a</reasoning>b").rules(reasoningAndThought).r("a").t("b").build(),
                vector("custom tag thought", "<Thought>a</THOUGHT>b").rules(reasoningAndThought).r("a").t("b").build(),
                vector("think is plain text outside the custom set", "<think>a</think>b").rules(reasoningAndThought)
                        .t("<think>a</think>b").build(),
                vector("mixed-case closers", "<thinking>a</tHiNkInG>b").r("a").t("b").build(),
                vector("opener with a space is plain text", "<think >x</think>y").t("<think >x</think>y").build(),
                vector("self-closing tag is plain text", "<think/>x").t("<think/>x").build(),
                vector("dotless i does not fold to i", "<th\u0131nk>x</think>y").t("<th\u0131nk>x</think>y").build(),
                vector("native reasoning then content starting with a closer")
                        .deltas(nativeReasoning("plan"), content("</think>\n\nAnswer")).r("plan").t("Answer").build(),
                vector("native block: first leading whitespace dropped, spaces between deltas kept")
                        .deltas(nativeReasoning("\n\nr1 "), nativeReasoning(" r2"), content("\n\nans")).r("r1  r2").t("ans").build(),
                vector("native reasoning switches startInReasoning content to the answer").rules(START_IN_REASONING)
                        .deltas(nativeReasoning("r"), content("ans")).r("r").t("ans").build(),
                vector("whitespace held at the start is dropped before native reasoning", "\n")
                        .deltas(nativeReasoning("r"), content("a")).r("r").t("a").build(),
                vector("answer after mid-answer native reasoning loses its leading whitespace", "Hi")
                        .deltas(nativeReasoning("r"), content(" there")).r("r").t("Hithere")
                        .sequence(new Chunk.Text("Hi"), new Chunk.Reasoning("r"), new Chunk.Text("there")).build(),
                vector("opener prefix held before native reasoning is literal text", "<th")
                        .deltas(nativeReasoning("r"), content("ink>x")).r("r").t("<think>x")
                        .sequence(new Chunk.Text("<th"), new Chunk.Reasoning("r"), new Chunk.Text("ink>x")).build(),
                vector("native reasoning inside an inline block keeps its spaces", "<think>a ")
                        .deltas(nativeReasoning(" b"), content("</think>c")).r("a  b").t("c").build(),
                vector("usage passes while leading whitespace is held", "\n")
                        .deltas(usage(), content("<think>x</think>y"))
                        .r("x").t("y").sequence(usage(), new Chunk.Reasoning("x"), new Chunk.Text("y")).build(),
                vector("tool call releases held leading whitespace as text", "\n\n").deltas(toolCall())
                        .t("\n\n").sequence(new Chunk.Text("\n\n"), toolCall()).build(),
                vector("tool call while an opener prefix is held", "<th").deltas(toolCall(), content("ink>x"))
                        .t("<think>x").sequence(new Chunk.Text("<th"), toolCall(), new Chunk.Text("ink>x")).build(),
                vector("usage passes without releasing a held prefix", "<th").deltas(usage(), content("ink>x</think>y"))
                        .r("x").t("y").sequence(usage(), new Chunk.Reasoning("x"), new Chunk.Text("y")).build(),
                vector("finish releases held text first", "<think>a </thi").deltas(new Chunk.Finish("stop"))
                        .r("a </thi").unclosed().sequence(new Chunk.Reasoning("a </thi"), new Chunk.Finish("stop")).build(),
                vector("provider state emits nothing", "<think>a").deltas(new Delta.ProviderState("{\"s\":1}"), content("</think>b"))
                        .r("a").t("b").sequence(new Chunk.Reasoning("a"), new Chunk.Text("b")).build(),
                vector("leading whitespace kept as text without an opener", "\n\nHello").t("\n\nHello").build(),
                vector("whitespace-only content", "\n", "\n").t("\n\n").build(),
                vector("orphan closer after leading whitespace", "\n</think>\nAnswer").t("Answer").build(),
                vector("second closer is literal", "</think></think>Answer").t("</think>Answer").build(),
                vector("lt inside reasoning", "<think>a < b</th", "x</think>c").r("a < b</thx").t("c").build(),
                vector("inner whitespace of reasoning kept", "<think>a \n", " b</think>c").r("a \n b").t("c").build()));
        vectors.addAll(cutAtEveryPosition("<think>abc</think>def", TagRules.DEFAULT, "abc", "def"));
        vectors.addAll(cutAtEveryPosition("\n<thinking>a b</thinking>\nc", TagRules.DEFAULT, "a b", "c"));
        vectors.addAll(cutAtEveryPosition("x<think>🙂</think>y", ANYWHERE, "🙂", "xy"));
        return vectors;
    }

    static List<SplitterVector> all() {
        List<SplitterVector> all = new ArrayList<>(spec());
        all.addAll(own());
        return all;
    }

    private static List<SplitterVector> cutAtEveryPosition(String input, TagRules rules, String r, String t) {
        List<SplitterVector> vectors = new ArrayList<>();
        for (int cut = 0; cut <= input.length(); cut++) {
            vectors.add(vector("cut at " + cut + ": " + input.replace("\n", "\\n"), input.substring(0, cut), input.substring(cut))
                    .rules(rules).r(r).t(t).build());
        }
        return vectors;
    }
}
