package dev.aiprogress.web.ops;

/** JMX view {@code dev.aiprogress:type=Realtime,context="<path>"}: sockets, events, bytes, overhead. */
public interface RealtimeMXBean {

    long getSocketIoSockets();

    long getPlainSockets();

    long getEventsPublished();

    long getEventsDelivered();

    long getBytesDelivered();

    long getOutboxMerges();

    long getOverflowCloses();

    long getReplayedEvents();

    long getChunkOverheadSamples();

    long getChunkOverheadP50Micros();

    long getChunkOverheadP99Micros();
}
