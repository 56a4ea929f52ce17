/**
 * Text processing between a provider and the events: {@link dev.aiprogress.stream.Delta} (what a
 * dialect reads off the wire), the {@link dev.aiprogress.stream.ReasoningSplitter} that separates
 * reasoning from the answer (docs/SPLITTER.md), and the {@link dev.aiprogress.stream.Coalescer}
 * that batches and throttles the result into {@link dev.aiprogress.stream.Chunk}s. Plain Java with
 * no I/O and no threads of its own: time comes in through {@link dev.aiprogress.stream.TaskScheduler}.
 * It imports no other package of ours and must not import {@code provider}, {@code gateway},
 * {@code realtime} or any container API.
 */
package dev.aiprogress.stream;
