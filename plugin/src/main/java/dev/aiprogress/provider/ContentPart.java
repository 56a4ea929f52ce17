package dev.aiprogress.provider;

import java.util.Objects;

/** A piece of a message: text, or an image by URL ({@code https:} or a {@code data:} URL). */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    record Image(String url) implements ContentPart {
        public Image {
            Objects.requireNonNull(url, "url");
        }
    }
}
