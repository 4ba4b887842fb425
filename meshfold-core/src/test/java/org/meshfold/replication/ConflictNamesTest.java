package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.Hlc;
import org.meshfold.identity.DeviceId;

class ConflictNamesTest {
    private static final Hlc WHEN = new Hlc(Instant.parse("2026-11-21T10:15:00.750Z").toEpochMilli(), 3);

    @Test
    void copyName_withExtension_insertsBeforeExtension() {
        DeviceId dev = TestDevice.deviceId(4);
        assertThat(ConflictNames.copyName("a/b.txt", WHEN, dev.shortId(), 1))
                .isEqualTo("a/b.sync-conflict-20261121-101500-" + dev.shortText() + ".txt");
    }

    @Test
    void copyName_deviceText_isFirstGroupOfDeviceId() {
        for (int i = 1; i < 20; i++) {
            DeviceId dev = TestDevice.deviceId(i);
            assertThat(ConflictNames.deviceText(dev.shortId())).isEqualTo(dev.toString().substring(0, 7));
        }
    }

    @Test
    void copyName_noExtensionOrDotFileOrDotInDirectory_appendsSuffix() {
        long dev = TestDevice.deviceId(1).shortId();
        String suffix = ".sync-conflict-20261121-101500-" + ConflictNames.deviceText(dev);
        assertThat(ConflictNames.copyName("notes", WHEN, dev, 1)).isEqualTo("notes" + suffix);
        assertThat(ConflictNames.copyName("dir/.bashrc", WHEN, dev, 1)).isEqualTo("dir/.bashrc" + suffix);
        assertThat(ConflictNames.copyName("v1.2/readme", WHEN, dev, 1)).isEqualTo("v1.2/readme" + suffix);
    }

    @Test
    void copyName_laterAttempt_addsNumberBeforeExtension() {
        long dev = TestDevice.deviceId(1).shortId();
        assertThat(ConflictNames.copyName("b.txt", WHEN, dev, 2))
                .isEqualTo("b.sync-conflict-20261121-101500-" + ConflictNames.deviceText(dev) + "-2.txt");
    }
}
