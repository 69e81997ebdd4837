package dev.mailkit.core;

/** Strict syntax checks for IPv4 and IPv6 literals that never touch DNS (unlike {@code InetAddress.getByName}). */
final class InetLiterals {
    private InetLiterals() {
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                continue; // part of "::" or a leading/trailing colon checked below
            }
            if (i == groups.length - 1 && g.contains(".")) {
                if (!isIpv4(g)) {
                    return false;
                }
                count += 2;
                continue;
            }
            if (g.length() > 4) {
                return false;
            }
            for (int j = 0; j < g.length(); j++) {
                if (Character.digit(g.charAt(j), 16) < 0) {
                    return false;
                }
            }
            count++;
        }
        if (s.startsWith(":") && !s.startsWith("::") || s.endsWith(":") && !s.endsWith("::")) {
            return false;
        }
        return doubleColon >= 0 ? count < 8 : count == 8;
    }
}
