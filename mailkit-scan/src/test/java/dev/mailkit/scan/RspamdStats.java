package dev.mailkit.scan;

import dev.mailkit.scan.daemons.Rspamd;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Rspamd's own statistics (the controller's {@code /stat}), independently of mailkit's client. */
final class RspamdStats {
    private RspamdStats() {
    }

    static long learned(Rspamd rspamd) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                rspamd.controllerUrl() + "/stat")).header("Password", Rspamd.PASSWORD).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"learned\":(\\d+)").matcher(r.body());
        if (!m.find()) {
            throw new AssertionError("no learned count in " + r.body());
        }
        return Long.parseLong(m.group(1));
    }
}
