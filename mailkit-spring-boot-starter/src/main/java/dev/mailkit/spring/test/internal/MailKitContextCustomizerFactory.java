package dev.mailkit.spring.test.internal;

import dev.mailkit.spring.test.AutoConfigureMailKit;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

import java.util.List;

/**
 * Registered in {@code META-INF/spring.factories}: Spring's test framework asks it for every test class; a class
 * with {@link AutoConfigureMailKit} (on itself, an enclosing class or a meta-annotation) gets a
 * {@link MailKitContextCustomizer}. This class touches no mailkit-test type, so it loads in any test.
 */
public final class MailKitContextCustomizerFactory implements ContextCustomizerFactory {
    /** Used by Spring's test framework. */
    public MailKitContextCustomizerFactory() {
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureMailKit a = TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureMailKit.class);
        if (a == null) {
            return null;
        }
        if (!ClassUtils.isPresent("dev.mailkit.test.MailKit", testClass.getClassLoader())) {
            throw new IllegalStateException("@AutoConfigureMailKit on " + testClass.getName() + " needs mailkit-test "
                    + "on the test class path: add the dependency dev.mailkit:mailkit-test with <scope>test</scope>");
        }
        return new MailKitContextCustomizer(MailKitContextCustomizer.Settings.of(a));
    }
}
