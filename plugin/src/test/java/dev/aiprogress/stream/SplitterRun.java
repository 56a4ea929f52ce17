package dev.aiprogress.stream;

import java.util.ArrayList;
import java.util.List;

/** Runs a {@link ReasoningSplitter} over a delta sequence and answers questions about its output. */
record SplitterRun(List<Chunk> chunks, boolean reasoningUnclosed) {

    static SplitterRun of(TagRules rules, List<Delta> deltas) {
        List<Chunk> chunks = new ArrayList<>();
        ReasoningSplitter splitter = new ReasoningSplitter(rules, chunks::add);
        for (Delta delta : deltas) {
            splitter.accept(delta);
        }
        splitter.finish();
        return new SplitterRun(List.copyOf(chunks), splitter.reasoningUnclosed());
    }

    String reasoning() {
        StringBuilder sb = new StringBuilder();
        for (Chunk chunk : chunks) {
            if (chunk instanceof Chunk.Reasoning r) sb.append(r.text());
        }
        return sb.toString();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        for (Chunk chunk : chunks) {
            if (chunk instanceof Chunk.Text t) sb.append(t.text());
        }
        return sb.toString();
    }

    /** The chunks with adjacent reasoning (or text) chunks merged: the sequence of channel switches. */
    List<Chunk> merged() {
        List<Chunk> merged = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        Class<?> runType = null;
        for (Chunk chunk : chunks) {
            String text = chunk instanceof Chunk.Reasoning r ? r.text() : chunk instanceof Chunk.Text t ? t.text() : null;
            if (runType != null && chunk.getClass() != runType) {
                merged.add(runType == Chunk.Reasoning.class ? new Chunk.Reasoning(run.toString()) : new Chunk.Text(run.toString()));
                run.setLength(0);
                runType = null;
            }
            if (text == null) {
                merged.add(chunk);
            } else {
                run.append(text);
                runType = chunk.getClass();
            }
        }
        if (runType != null) {
            merged.add(runType == Chunk.Reasoning.class ? new Chunk.Reasoning(run.toString()) : new Chunk.Text(run.toString()));
        }
        return merged;
    }

    /** Runs of reasoning chunks separated by anything else. */
    int reasoningBlocks() {
        int blocks = 0;
        for (Chunk chunk : merged()) {
            if (chunk instanceof Chunk.Reasoning) blocks++;
        }
        return blocks;
    }

    /** The first emitted reasoning or text chunk that is empty or ends in a high surrogate, if any. */
    String badChunk() {
        for (Chunk chunk : chunks) {
            String text = chunk instanceof Chunk.Reasoning r ? r.text() : chunk instanceof Chunk.Text t ? t.text() : null;
            if (text == null) continue;
            if (text.isEmpty()) return "empty chunk " + chunk;
            if (Character.isHighSurrogate(text.charAt(text.length() - 1))) return "lone high surrogate at the end of " + chunk;
        }
        return "";
    }

    /** Splits every content and native reasoning delta by {@code sizes}, taken in turn; a size of 0 inserts an empty delta. */
    static List<Delta> rechunk(List<Delta> deltas, List<Integer> sizes) {
        List<Delta> out = new ArrayList<>();
        int turn = 0;
        for (Delta delta : deltas) {
            String text = delta instanceof Delta.Content c ? c.text() : delta instanceof Delta.Reasoning r ? r.text() : null;
            if (text == null) {
                out.add(delta);
                continue;
            }
            boolean content = delta instanceof Delta.Content;
            int at = 0;
            int zerosInARow = 0;
            while (at < text.length()) {
                int size = sizes.get(turn++ % sizes.size());
                if (size == 0 && ++zerosInARow <= sizes.size()) {
                    out.add(content ? new Delta.Content("") : new Delta.Reasoning(""));
                    continue;
                }
                zerosInARow = 0;
                int end = Math.min(text.length(), at + Math.max(size, 1));
                String piece = text.substring(at, end);
                out.add(content ? new Delta.Content(piece) : new Delta.Reasoning(piece));
                at = end;
            }
        }
        return out;
    }
}
