package dev.mailkit.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module map of docs/architecture.md, enforced on the main code of every library module: which module may use
 * which (and which third-party library), no use of another module's {@code internal} packages, and no package cycles.
 * A failure names the offending classes and the rule.
 */
class ModuleRulesTest {
    /** The mailkit modules each module may depend on (besides itself and the JDK). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("core", Set.of()),
            Map.entry("dns", Set.of("core")),
            Map.entry("store", Set.of("core")),
            Map.entry("smtp", Set.of("core")),
            Map.entry("relay", Set.of("core", "dns")),
            Map.entry("mailauth", Set.of("core", "dns")),
            Map.entry("scan", Set.of("core")),
            Map.entry("imap", Set.of("core", "store")),
            Map.entry("pop3", Set.of("core", "store")),
            // Sieve at delivery (store's DeliveryRule) and the ManageSieve server (core's server machinery)
            Map.entry("sieve", Set.of("core", "store")),
            // the full-text index behind store's SearchIndex SPI (IMAP asks it through the SPI, never directly)
            Map.entry("search", Set.of("core", "store")),
            // the relay only for the queue view and the trace's relay events (an optional dependency)
            Map.entry("web", Set.of("core", "store", "relay")),
            // the relay only for PostgresQueueStorage (an optional dependency); users' Sieve scripts in the database:
            // sieve's script store SPI
            Map.entry("postgres", Set.of("core", "store", "relay", "sieve")),
            Map.entry("passwd", Set.of("core")),
            // certificates by ACME: swaps them into core's replaceable TlsConfig, knows no server
            Map.entry("acme", Set.of("core")),
            Map.entry("test", Set.of("core", "smtp", "store", "imap", "pop3", "mailauth", "web", "sieve")),
            // mailkit-spring-boot-starter (dev.mailkit.spring...): relay, mailauth and test are optional there
            Map.entry("spring", Set.of("core", "smtp", "store", "imap", "pop3", "relay", "mailauth", "test")));

    /** Third-party libraries that only one module may use: the reason the module exists apart. */
    static final Map<String, String> LIBRARY_OWNER = Map.of(
            "org.xbill.DNS", "dns",
            "com.google.common", "mailauth",
            "org.subethamail", "smtp",
            "org.apache.lucene", "search",
            "org.postgresql", "postgres",
            "com.zaxxer.hikari", "postgres",
            "org.flywaydb", "postgres",
            "org.bouncycastle", "passwd",
            "org.shredzone.acme4j", "acme");

    static JavaClasses mailkit;

    @BeforeAll
    static void importMainCode() {
        mailkit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mailkit");
    }

    @Test
    void everyLibraryModuleIsImported() {
        for (String module : ALLOWED.keySet()) {
            assertThat(mailkit.stream().anyMatch(c -> module.equals(module(c))))
                    .as("classes of mailkit-" + module + " on the class path").isTrue();
        }
    }

    @Test
    void modulesDependOnlyOnWhatTheMapAllows() {
        rule("depend only on the mailkit modules docs/architecture.md allows", (c, d) -> {
            String from = module(c);
            String to = module(d.getTargetClass());
            return from == null || !ALLOWED.containsKey(from) || to == null || to.equals(from)
                    || ALLOWED.get(from).contains(to);
        }).check(mailkit);
    }

    @Test
    void thirdPartyLibrariesStayInTheirModule() {
        rule("use dnsjava, Guava, SubEthaSMTP and Lucene only in mailkit-dns, -mailauth, -smtp and -search", (c, d) -> {
            String target = d.getTargetClass().getPackageName();
            String from = module(c);
            for (Map.Entry<String, String> e : LIBRARY_OWNER.entrySet()) {
                if (target.startsWith(e.getKey()) && from != null && !from.equals("examples")) {
                    return from.equals(e.getValue());
                }
            }
            return true;
        }).check(mailkit);
    }

    /**
     * SubEthaSMTP is reached through one class, {@code dev.mailkit.smtp.internal.SubethaAccess} (and its nested
     * classes), whose Javadoc lists what mailkit relies on and what an upgrade may break.
     */
    @Test
    void subethaSmtpIsReachedThroughOneClass() {
        rule("use SubEthaSMTP only in dev.mailkit.smtp.internal.SubethaAccess", (c, d) ->
                !d.getTargetClass().getPackageName().startsWith("org.subethamail")
                        || c.getName().equals(SUBETHA_ACCESS) || c.getName().startsWith(SUBETHA_ACCESS + "$"))
                .check(mailkit);
    }

    static final String SUBETHA_ACCESS = "dev.mailkit.smtp.internal.SubethaAccess";

    @Test
    void noModuleUsesAnotherModulesInternals() {
        rule("not use another module's internal packages", (c, d) -> {
            JavaClass t = d.getTargetClass();
            return !isInternal(t) || module(t) == null || module(t).equals(module(c))
                    || STORE_ENGINE_USERS.contains(module(c)) && t.getPackageName().equals(STORE_ENGINE);
        }).check(mailkit);
    }

    /**
     * The one exception: a mail store is built on mailkit-store's engine ({@code MailboxEngine}, {@code AccountEngine},
     * {@code MailboxStorage}, {@code StorageSync}), as the memory and Maildir stores are, so that it has their
     * semantics; mailkit-postgres is such a store. docs/architecture.md says why the engine is not public API yet.
     */
    static final String STORE_ENGINE = "dev.mailkit.store.internal";
    static final Set<String> STORE_ENGINE_USERS = Set.of("postgres");

    @Test
    void noPublicSignatureNamesAnInternalOrThirdPartyType() {
        classes().that().arePublic().and(new DescribedPredicate<>("in a public package") {
            @Override
            public boolean test(JavaClass c) {
                return module(c) != null && !isInternal(c) && !"examples".equals(module(c));
            }
        }).should(new ArchCondition<>("name no internal, dnsjava or SubEthaSMTP type in a public or protected member") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                c.getMethods().stream().filter(m -> isApi(m.getModifiers())).forEach(m -> {
                            java.util.Set<JavaClass> types = new java.util.HashSet<>();
                            m.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                            types.addAll(m.getReturnType().getAllInvolvedRawTypes());
                            for (JavaClass t : types) {
                                if (leaks(t)) {
                                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " names "
                                            + t.getName()));
                                }
                            }
                        });
                c.getConstructors().stream().filter(m -> isApi(m.getModifiers())).forEach(m -> {
                            java.util.Set<JavaClass> types = new java.util.HashSet<>();
                            m.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                            for (JavaClass t : types) {
                                if (leaks(t)) {
                                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " names "
                                            + t.getName()));
                                }
                            }
                        });
            }
        }).check(mailkit);
    }

    /**
     * No cycles between packages, counting a package and its {@code internal} sub-packages as one (a public facade
     * and its implementation refer to each other by design).
     */
    @Test
    void noPackageCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.startsWith("dev.mailkit.")) {
                    return SliceIdentifier.ignore();
                }
                int i = p.indexOf(".internal");
                return SliceIdentifier.of(i < 0 ? p : p.substring(0, i));
            }

            @Override
            public String getDescription() {
                return "packages with their internal sub-packages";
            }
        }).should().beFreeOfCycles().check(mailkit);
    }

    /** Public and protected members are API: users call the first and subclasses the second. */
    static boolean isApi(java.util.Set<com.tngtech.archunit.core.domain.JavaModifier> modifiers) {
        return modifiers.contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
                || modifiers.contains(com.tngtech.archunit.core.domain.JavaModifier.PROTECTED);
    }

    static boolean leaks(JavaClass t) {
        String p = t.getPackageName();
        return isInternal(t) && module(t) != null || p.startsWith("org.xbill") || p.startsWith("org.subethamail");
    }

    static boolean isInternal(JavaClass c) {
        String p = c.getPackageName();
        return p.endsWith(".internal") || p.contains(".internal.");
    }

    /** The module a class belongs to ({@code dev.mailkit.MODULE...}), or null outside mailkit. */
    static String module(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith("dev.mailkit.")) {
            return null;
        }
        String rest = p.substring("dev.mailkit.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    interface DependencyCheck {
        boolean allowed(JavaClass origin, Dependency d);
    }

    static ArchRule rule(String description, DependencyCheck check) {
        return classes().that(new DescribedPredicate<>("in mailkit") {
            @Override
            public boolean test(JavaClass c) {
                return module(c) != null;
            }
        }).should(new ArchCondition<>(description) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    if (!check.allowed(c, d)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        });
    }
}
