package dev.aiprogress.benchmarks.load;

/** The three ways the load harness reads a stream: the mock directly, the plugin's SSE reply, the plugin's sockets. */
enum Path3 { DIRECT, SSE, WS }
