package dev.mailkit.imap.internal.encode;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the RFC 5322 address-list parser behind IMAP's ENVELOPE. Properties: never an exception
 * (garbage becomes MISSING_MAILBOX/MISSING_DOMAIN, as in Dovecot); group markers balance (no group end without a start,
 * no start left open); and a round trip: the addresses written back in RFC 5322 form (names quoted, groups as
 * {@code name:...;}) parse to the same list, whenever every part is printable ASCII that needs no escaping.
 */
class AddressParserFuzzTest {
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 !#$%&'*+/=?^_`{|}~.,:;<>@\\[\\]()-]*");

    @FuzzTest
    void addresses(byte[] input) {
        String value = new String(input, StandardCharsets.UTF_8);
        List<AddressParser.Address> list = AddressParser.parse(value);
        int depth = 0;
        boolean simple = true;
        StringBuilder again = new StringBuilder();
        boolean first = true;
        for (AddressParser.Address a : list) {
            if (a.mailbox() == null) { // group end
                assertThat(depth).as("group end without a start in %s", list).isGreaterThan(0);
                depth--;
                again.append(';');
                first = false;
                continue;
            }
            if (a.host() == null) { // group start
                assertThat(depth).as("nested group in %s", list).isZero();
                depth++;
                simple &= DOT_ATOM.matcher(a.mailbox()).matches();
                again.append(first ? "" : ", ").append(a.mailbox()).append(':');
                first = true;
                continue;
            }
            simple &= DOT_ATOM.matcher(a.mailbox()).matches() && DOT_ATOM.matcher(a.host()).matches()
                    && a.adl() == null && (a.name() == null || (NAME.matcher(a.name()).matches()
                    && !a.name().isBlank() && a.name().equals(a.name().strip()) && !a.name().contains("  ")));
            again.append(first ? "" : ", ");
            first = false;
            if (a.name() != null) {
                again.append('"').append(a.name()).append("\" ");
            }
            again.append('<').append(a.mailbox()).append('@').append(a.host()).append('>');
        }
        assertThat(depth).as("group left open in %s", list).isZero();
        if (simple && !list.isEmpty()) {
            assertThat(AddressParser.parse(again.toString())).as("%s", again).isEqualTo(list);
        }
    }
}
