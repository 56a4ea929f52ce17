package dev.aiprogress.provider.sse;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/** The shared upstream {@link HttpClient} of one runtime. */
public final class UpstreamHttp {

    private UpstreamHttp() {
    }

    /**
     * HTTP/1.1 only: no h2c upgrade on {@code http://} mocks, and a cancelled stream is a closed TCP
     * connection the upstream notices (HTTP/2 would only reset one stream). Redirects are not
     * followed (a redirected POST would lose its body). The caller owns {@code executor} and shuts
     * it down on undeploy; the client's selector thread ends once the client is unreachable.
     */
    public static HttpClient newClient(Duration connectTimeout, Executor executor) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(executor, "executor");
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }
}
