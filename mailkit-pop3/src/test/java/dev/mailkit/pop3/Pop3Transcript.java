package dev.mailkit.pop3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Splits a POP3 server's output into the responses to a known list of commands: the status line, and for a
 * successful LIST/UIDL without argument, RETR and TOP, the raw multi-line body (still byte-stuffed, without the
 * terminating dot line).
 */
final class Pop3Transcript {
    /** One response. */
    record Response(String command, String status, byte[] body) {
        boolean ok() {
            return status.startsWith("+OK");
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        List<String> bodyLines() {
            String t = bodyText();
            return t.isEmpty() ? List.of() : Arrays.asList(t.split("\r\n"));
        }
    }

    private Pop3Transcript() {
    }

    static List<Response> parse(byte[] output, List<String> commands) {
        List<Response> out = new ArrayList<>();
        int[] pos = {0};
        for (String command : commands) {
            String status = line(output, pos);
            if (status == null) {
                throw new AssertionError("no response to " + command + " in:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
            byte[] body = new byte[0];
            if (status.startsWith("+OK") && multiline(command)) {
                body = body(output, pos);
            }
            out.add(new Response(command, status, body));
        }
        return out;
    }

    private static boolean multiline(String command) {
        String[] w = command.toUpperCase(Locale.ROOT).split(" ");
        switch (w[0]) {
            case "LIST":
            case "UIDL":
                return w.length == 1;
            case "RETR":
            case "TOP":
            case "CAPA":
                return true;
            default:
                return false;
        }
    }

    private static String line(byte[] b, int[] pos) {
        int start = pos[0];
        for (int i = start; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                pos[0] = i + 2;
                return new String(b, start, i - start, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static byte[] body(byte[] b, int[] pos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int start = pos[0];
            String l = line(b, pos);
            if (l == null) {
                throw new AssertionError("unterminated multi-line response");
            }
            if (l.equals(".")) {
                return out.toByteArray();
            }
            out.write(b, start, pos[0] - start);
        }
    }
}
