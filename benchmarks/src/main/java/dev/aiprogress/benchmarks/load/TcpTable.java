package dev.aiprogress.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's view of this machine's TCP connections ({@code /proc/net/tcp} and {@code tcp6}, Linux
 * only), keyed by local and remote port. It shows what no client API shows without reading: when
 * the server's end of a connection stopped being ESTABLISHED (it called close or shutdown, or reset
 * it), even while its FIN still waits behind bytes the peer never reads.
 */
final class TcpTable {

    static final int ESTABLISHED = 0x01;
    static final int CLOSE_WAIT = 0x08;

    private static final List<Path> FILES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    static boolean available() {
        return Files.isReadable(FILES.get(0));
    }

    static long key(int localPort, int remotePort) {
        return ((long) localPort << 16) | remotePort;
    }

    /** State per {@link #key}; a connection that is gone (reset, or fully closed) is absent. */
    static Map<Long, Integer> read() {
        Map<Long, Integer> states = new HashMap<>();
        for (Path f : FILES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (Exception e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                // "  0: 0100007F:A1B2 0100007F:1F90 01 ..." (sl, local, remote, state)
                String[] p = lines.get(i).trim().split("\\s+", 5);
                if (p.length < 4) {
                    continue;
                }
                int local = port(p[1]);
                int remote = port(p[2]);
                if (local >= 0 && remote >= 0) {
                    states.put(key(local, remote), Integer.parseInt(p[3], 16));
                }
            }
        }
        return states;
    }

    private static int port(String addr) {
        int colon = addr.lastIndexOf(':');
        return colon < 0 ? -1 : Integer.parseInt(addr.substring(colon + 1), 16);
    }

    static String name(Integer state) {
        if (state == null) {
            return "gone";
        }
        switch (state) {
            case 0x01: return "ESTABLISHED";
            case 0x04: return "FIN_WAIT1";
            case 0x05: return "FIN_WAIT2";
            case 0x06: return "TIME_WAIT";
            case 0x07: return "CLOSE";
            case 0x08: return "CLOSE_WAIT";
            case 0x09: return "LAST_ACK";
            case 0x0B: return "CLOSING";
            default: return "state-" + state;
        }
    }
}
