package dev.mailkit.examples.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration file: YAML (1.2, read by snakeyaml-engine without constructing any object: only the node tree is
 * read, so no tag can instantiate a class, and no environment variable is substituted). Its keys nest as the
 * settings' dotted keys say ({@code smtp.port} is {@code port:} under {@code smtp:}); each value is turned into the
 * text its command-line flag would take and parsed by the same parser, so the file and the flags accept exactly the
 * same values. Errors name the file, the line, the key and what is allowed there.
 *
 * <p>Bounded: at most {@value #MAX_BYTES} bytes, {@value #MAX_VALUE} characters per value, {@value #MAX_NODES}
 * values in all; no tags, no anchors used as values, no duplicate keys, no control characters in values.
 */
public final class ConfigFile {
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_VALUE = 4096;
    static final int MAX_NODES = 20_000;

    private final String name;
    private final Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    private final Map<Setting<?>, Written> out = new LinkedHashMap<>();
    private int nodes;

    private ConfigFile(String name, List<Setting<?>> settings) {
        this.name = name;
        for (Setting<?> s : settings) {
            byKey.put(s.key, s);
        }
    }

    /**
     * Reads a configuration file: what it says for each setting.
     *
     * @throws ConfigException for a missing, unreadable or bad file, naming file, line and key
     */
    public static Map<Setting<?>, Written> read(Path file, List<Setting<?>> settings) throws ConfigException {
        return parse(readText(file), file.toString(), settings);
    }

    /** Reads the text of a configuration file; {@code name} is the file name its errors start with. */
    public static Map<Setting<?>, Written> parse(String text, String name, List<Setting<?>> settings)
            throws ConfigException {
        ConfigFile f = new ConfigFile(name, settings);
        LoadSettings ls = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(0).setAllowRecursiveKeys(false).setCodePointLimit(MAX_BYTES)
                .setUseMarks(true).build();
        Optional<Node> root;
        try {
            root = new Compose(ls).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> m = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            throw new ConfigException(name + ":" + m.map(x -> x.getLine() + 1).orElse(1) + ": not valid YAML: "
                    + oneLine(e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ConfigException(name + ": not valid YAML: " + oneLine(e.getMessage()));
        }
        if (root.isPresent()) {
            Node r = root.get();
            if (r instanceof ScalarNode && ((ScalarNode) r).getValue().isEmpty()) {
                return f.out; // an empty document
            }
            if (!(r instanceof MappingNode)) {
                throw new ConfigException(name + ":" + line(r) + ": the file must be a mapping of keys, e.g. "
                        + "'domains: [example.org]'");
            }
            f.walk("", (MappingNode) r);
        }
        return f.out;
    }

    private void walk(String prefix, MappingNode map) throws ConfigException {
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            count(t.getKeyNode());
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                throw new ConfigException(name + ":" + line(t.getKeyNode()) + ": a key must be a plain word");
            }
            String k = scalar((ScalarNode) t.getKeyNode(), prefix + "<key>");
            String path = prefix.isEmpty() ? k : prefix + "." + k;
            if (!seen.add(k)) {
                throw new ConfigException(name + ":" + line(t.getKeyNode()) + ": " + path + " is given twice");
            }
            Setting<?> s = byKey.get(path);
            Node v = t.getValueNode();
            count(v);
            if (s != null) {
                out.put(s, new Written(texts(s, path, v), name + ":" + line(v) + ": " + path));
            } else if (isSection(path)) {
                if (!(v instanceof MappingNode)) {
                    throw new ConfigException(name + ":" + line(v) + ": " + path + " is a section: keys under it are "
                            + String.join(", ", allowed(path)));
                }
                walk(path, (MappingNode) v);
            } else {
                throw new ConfigException(name + ":" + line(t.getKeyNode()) + ": unknown key '" + path + "'; allowed "
                        + (prefix.isEmpty() ? "" : "under " + prefix + " ") + "are " + String.join(", ", allowed(prefix)));
            }
        }
    }

    private List<String> texts(Setting<?> s, String path, Node v) throws ConfigException {
        List<String> texts = new ArrayList<>();
        switch (s.kind) {
            case VALUE:
            case SWITCH:
                if (!(v instanceof ScalarNode)) {
                    throw new ConfigException(name + ":" + line(v) + ": " + path + " takes one value"
                            + (s.label == null ? " (true or false)" : " (" + s.label + ")"));
                }
                texts.add(scalar((ScalarNode) v, path));
                break;
            case LIST:
                if (v instanceof ScalarNode) {
                    texts.add(scalar((ScalarNode) v, path));
                } else if (v instanceof SequenceNode) {
                    for (Node item : ((SequenceNode) v).getValue()) {
                        count(item);
                        if (!(item instanceof ScalarNode)) {
                            throw new ConfigException(name + ":" + line(item) + ": " + path + " is a list of values ("
                                    + s.label + ")");
                        }
                        texts.add(scalar((ScalarNode) item, path));
                    }
                } else {
                    throw new ConfigException(name + ":" + line(v) + ": " + path + " is a list, e.g. " + path
                            + ": [" + s.label + ", ...]");
                }
                break;
            default:
                if (!(v instanceof MappingNode)) {
                    throw new ConfigException(name + ":" + line(v) + ": " + path + " is a mapping, e.g. " + path + ": {"
                            + s.label.replace(String.valueOf(s.separator), ": ") + "}");
                }
                for (NodeTuple t : ((MappingNode) v).getValue()) {
                    count(t.getKeyNode());
                    count(t.getValueNode());
                    if (!(t.getKeyNode() instanceof ScalarNode)) {
                        throw new ConfigException(name + ":" + line(t.getKeyNode()) + ": " + path + ": a key must be "
                                + "a single value");
                    }
                    String k = scalar((ScalarNode) t.getKeyNode(), path);
                    List<String> values = new ArrayList<>();
                    Node tv = t.getValueNode();
                    if (tv instanceof ScalarNode) {
                        values.add(scalar((ScalarNode) tv, path + "." + k));
                    } else if (tv instanceof SequenceNode && !((SequenceNode) tv).getValue().isEmpty()) {
                        for (Node item : ((SequenceNode) tv).getValue()) {
                            count(item);
                            if (!(item instanceof ScalarNode)) {
                                throw new ConfigException(name + ":" + line(item) + ": " + path + "." + k
                                        + " is a list of values");
                            }
                            values.add(scalar((ScalarNode) item, path + "." + k));
                        }
                    } else {
                        throw new ConfigException(name + ":" + line(tv) + ": " + path + "." + k + " takes a value or "
                                + "a list of values");
                    }
                    if (k.indexOf(s.separator) >= 0 || values.stream().anyMatch(x -> x.contains(","))) {
                        throw new ConfigException(name + ":" + line(tv) + ": " + path + "." + k + ": '" + s.separator
                                + "' in a key or ',' in a value is not allowed here");
                    }
                    texts.add(k + s.separator + String.join(",", values));
                }
        }
        return texts;
    }

    private String scalar(ScalarNode n, String path) throws ConfigException {
        Tag tag = n.getTag();
        if (!tag.equals(Tag.STR) && !tag.equals(Tag.INT) && !tag.equals(Tag.BOOL) && !tag.equals(Tag.FLOAT)
                && !tag.equals(Tag.NULL)) {
            throw new ConfigException(name + ":" + line(n) + ": " + path + ": tags such as '" + oneLine(tag.getValue())
                    + "' are not allowed");
        }
        String v = n.getValue();
        if (v.length() > MAX_VALUE) {
            throw new ConfigException(name + ":" + line(n) + ": " + path + ": a value longer than " + MAX_VALUE
                    + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 32 || c == 127) {
                throw new ConfigException(name + ":" + line(n) + ": " + path + ": control character (code " + (int) c
                        + ") in the value");
            }
        }
        return v;
    }

    private void count(Node n) throws ConfigException {
        if (++nodes > MAX_NODES) {
            throw new ConfigException(name + ":" + line(n) + ": more than " + MAX_NODES + " values");
        }
    }

    private boolean isSection(String path) {
        return byKey.keySet().stream().anyMatch(k -> k.startsWith(path + "."));
    }

    private Set<String> allowed(String prefix) {
        Set<String> out = new TreeSet<>();
        for (String k : byKey.keySet()) {
            if (prefix.isEmpty() || k.startsWith(prefix + ".")) {
                String rest = prefix.isEmpty() ? k : k.substring(prefix.length() + 1);
                int dot = rest.indexOf('.');
                out.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return out;
    }

    private static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?").trim();
    }

    private static String readText(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new ConfigException(file + ": larger than " + (MAX_BYTES >> 10) + " KiB: not a configuration "
                        + "file?");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }
}
