/**
 * The OpenAI Chat Completions dialect ({@code ai-progress.provider.<name>.dialect = openai}): OpenAI,
 * DeepSeek, OpenRouter, vLLM, SGLang, llama.cpp, LM Studio, Groq and other compatible servers.
 * Use it as {@code new HttpStreamProvider(settings, new OpenAiDialect(), context)}.
 */
package dev.aiprogress.provider.openai;
