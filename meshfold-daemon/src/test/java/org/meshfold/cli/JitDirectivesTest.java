package org.meshfold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JitDirectivesTest {
    @Test
    void install_jvmAcceptsTheDirectivesAndListsThem() throws Exception {
        assertThat(JitDirectives.install()).isTrue();

        Object listed = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        assertThat(String.valueOf(listed)).contains("org/meshfold/scanner/*.*", "com/sun/crypto/provider/*.*");
    }
}
