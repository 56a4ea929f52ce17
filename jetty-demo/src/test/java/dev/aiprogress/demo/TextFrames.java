package dev.aiprogress.demo;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;

/** A JDK WebSocket listener that puts each whole text message into a queue. */
final class TextFrames implements WebSocket.Listener {
    private final BlockingQueue<String> frames;
    private final StringBuilder partial = new StringBuilder();

    TextFrames(BlockingQueue<String> frames) {
        this.frames = frames;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }
}
