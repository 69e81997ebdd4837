package dev.mailkit.store.mime;

import java.util.ArrayList;
import java.util.List;

/** Joins RFC 2231 continuations. */
final class Rfc2231 {
    private Rfc2231() {
    }

    static List<MimeParameter> join(List<String[]> raw) {
        boolean any = false;
        for (String[] p : raw) {
            if (p[0].indexOf('*') >= 0) {
                any = true;
                break;
            }
        }
        List<MimeParameter> out = new ArrayList<>(raw.size());
        if (!any) {
            for (String[] p : raw) {
                if (find(out, p[0]) < 0) {
                    out.add(new MimeParameter(p[0], p[1]));
                }
            }
            return out;
        }
        // group name*N and name*N* by base name; keep first-seen order of base names
        List<String> order = new ArrayList<>();
        java.util.Map<String, java.util.TreeMap<Integer, String[]>> pieces = new java.util.HashMap<>();
        java.util.Map<String, String[]> plain = new java.util.HashMap<>();
        for (String[] p : raw) {
            String name = p[0];
            int star = name.indexOf('*');
            String base = star < 0 ? name : name.substring(0, star);
            String key = base.toLowerCase(java.util.Locale.ROOT);
            if (!order.contains(key)) {
                order.add(key);
            }
            if (star < 0) {
                plain.putIfAbsent(key, p);
                continue;
            }
            String rest = name.substring(star + 1);
            boolean extended = rest.endsWith("*");
            String num = extended ? rest.substring(0, rest.length() - 1) : rest;
            int index;
            if (rest.isEmpty()) {
                index = 0;
                extended = true; // name*=charset'lang'value
            } else {
                try {
                    index = num.isEmpty() ? 0 : Integer.parseInt(num);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (index < 0 || index > 999) {
                    continue;
                }
            }
            pieces.computeIfAbsent(key, k -> new java.util.TreeMap<>())
                    .putIfAbsent(index, new String[] {base, p[1], extended ? "*" : ""});
        }
        for (String key : order) {
            java.util.TreeMap<Integer, String[]> ps = pieces.get(key);
            if (ps != null) {
                StringBuilder v = new StringBuilder();
                boolean ext = false;
                String base = null;
                int expect = 0;
                for (java.util.Map.Entry<Integer, String[]> e : ps.entrySet()) {
                    if (e.getKey() != expect) {
                        break; // a gap: ignore the rest
                    }
                    expect++;
                    base = e.getValue()[0];
                    ext |= !e.getValue()[2].isEmpty();
                    v.append(e.getValue()[1]);
                }
                if (base != null) {
                    out.add(new MimeParameter(ext ? base + "*" : base, v.toString()));
                    continue;
                }
            }
            String[] p = plain.get(key);
            if (p != null) {
                out.add(new MimeParameter(p[0], p[1]));
            }
        }
        return out;
    }

    private static int find(List<MimeParameter> list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
