package dev.aiprogress.provider;

import java.util.Objects;

/**
 * A function the model may call, as the OpenAI function format describes it; each dialect
 * converts it to its own shape.
 *
 * @param parametersJson the JSON Schema of the arguments, as JSON text ({@code {}} when none)
 */
public record ToolSpec(String name, String description, String parametersJson) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersJson, "parametersJson");
    }
}
