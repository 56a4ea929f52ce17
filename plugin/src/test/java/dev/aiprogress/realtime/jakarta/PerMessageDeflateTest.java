package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade answer to a client that offers permessage-deflate, as socket.io-client (through the
 * {@code ws} package) does by default: refused unless the option allows it.
 */
class PerMessageDeflateTest {

    @Test
    void upgrade_clientOffersDeflate_byDefaultNoExtensionIsNegotiated() throws Exception {
        try (RealtimeJetty server = new RealtimeJetty(RealtimeOptions.defaults(), TaskControl.NONE)) {
            String head = upgradeOfferingDeflate(server.port(), "/socket.io/?EIO=4&transport=websocket");
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertFalse(head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"), head);

            String plain = upgradeOfferingDeflate(server.port(), "/ai-progress/ws");
            assertTrue(plain.startsWith("HTTP/1.1 101"), plain);
            assertFalse(plain.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"), plain);
        }
    }

    @Test
    void upgrade_clientOffersDeflate_whenAllowedItIsNegotiated() throws Exception {
        try (RealtimeJetty server = new RealtimeJetty(RealtimeOptions.defaults().withPerMessageDeflate(true), TaskControl.NONE)) {
            String head = upgradeOfferingDeflate(server.port(), "/socket.io/?EIO=4&transport=websocket");
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate"), head);
        }
    }

    /** The head of the server's answer to an upgrade that offers the extension exactly as the ws package words it. */
    private static String upgradeOfferingDeflate(int port, String pathAndQuery) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
