package dev.mailkit.architecture;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a release publishes, read from the POMs of the reactor: mailkit-bom lists every published module at the
 * reactor's version, and repeats the parent's metadata and plugin versions (it has no parent, so that importing it
 * brings nothing but mailkit's versions); every published module names its own Automatic-Module-Name.
 */
class PublicationTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("mailkit-bom/pom.xml"));
        String version = text(parent.getDocumentElement(), "version");
        assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(version);
        assertThat(bom.getElementsByTagName("parent").getLength()).as("mailkit-bom has no parent").isZero();

        TreeSet<String> published = new TreeSet<>();
        for (String module : children(parent.getDocumentElement(), "modules", "module")) {
            Path pom = ROOT.resolve(module).resolve("pom.xml");
            Document d = parse(pom);
            String packaging = text(d.getDocumentElement(), "packaging");
            boolean skipped = d.getElementsByTagName("maven.deploy.skip").getLength() > 0;
            if (!skipped && !"pom".equals(packaging)) {
                published.add(text(d.getDocumentElement(), "artifactId"));
                String moduleName = d.getElementsByTagName("mailkit.module.name").item(0).getTextContent();
                assertThat(moduleName).as(module + "'s Automatic-Module-Name").startsWith("dev.mailkit.")
                        .isNotEqualTo("dev.mailkit");
            }
        }
        Map<String, String> managed = new LinkedHashMap<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            assertThat(text(dep, "groupId")).isEqualTo("dev.mailkit");
            managed.put(text(dep, "artifactId"), text(dep, "version"));
        }
        assertThat(new TreeSet<>(managed.keySet())).isEqualTo(published);
        assertThat(managed.values()).containsOnly(version);
    }

    @Test
    void theBomRepeatsTheParentsMetadataAndPluginVersions() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("mailkit-bom/pom.xml"));
        for (String tag : List.of("url", "licenses", "developers", "scm")) {
            assertThat(element(bom.getDocumentElement(), tag).getTextContent().strip())
                    .as(tag).isEqualTo(element(parent.getDocumentElement(), tag).getTextContent().strip());
        }
        assertThat(bom.getElementsByTagName("project.build.outputTimestamp").item(0).getTextContent())
                .isEqualTo(parent.getElementsByTagName("project.build.outputTimestamp").item(0).getTextContent());
        Map<String, String> parentPlugins = plugins(parent);
        plugins(bom).forEach((plugin, v) -> assertThat(v).as(plugin).isEqualTo(parentPlugins.get(plugin)));
    }

    static Map<String, String> plugins(Document d) {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList ps = element(element(d.getDocumentElement(), "build"), "pluginManagement")
                .getElementsByTagName("plugin");
        for (int i = 0; i < ps.getLength(); i++) {
            Element p = (Element) ps.item(i);
            out.put(text(p, "artifactId"), text(p, "version"));
        }
        return out;
    }

    static Document parse(Path pom) throws Exception {
        assertThat(pom).exists();
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    static Element element(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        throw new AssertionError("no <" + tag + "> in <" + parent.getTagName() + ">");
    }

    static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    static List<String> children(Element parent, String tag, String child) {
        List<String> out = new ArrayList<>();
        NodeList l = element(parent, tag).getElementsByTagName(child);
        for (int i = 0; i < l.getLength(); i++) {
            out.add(l.item(i).getTextContent().strip());
        }
        return out;
    }
}
