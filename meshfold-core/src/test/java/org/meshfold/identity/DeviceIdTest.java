package org.meshfold.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DeviceIdTest {

    @Property(tries = 200)
    void parse_ofToString_roundTrips(@ForAll @Size(32) byte[] bytes) {
        DeviceId id = DeviceId.of(bytes);

        assertThat(DeviceId.parse(id.toString())).isEqualTo(id);
        assertThat(DeviceId.parse(id.toString().toLowerCase(Locale.ROOT).replace("-", " "))).isEqualTo(id);
    }

    @Test
    void toString_isEightDashSeparatedGroupsOfSeven() {
        assertThat(DeviceId.of(new byte[32]).toString()).matches("([A-Z2-7]{7}-){7}[A-Z2-7]{7}");
    }

    @Property(tries = 200)
    void parse_singleCharacterTypo_isDetected(@ForAll @Size(32) byte[] bytes, @ForAll int position) {
        String text = DeviceId.of(bytes).toString().replace("-", "");
        int i = Math.floorMod(position, text.length());
        char replacement = text.charAt(i) == 'A' ? 'B' : 'A';
        String typo = text.substring(0, i) + replacement + text.substring(i + 1);

        assertThatThrownBy(() -> DeviceId.parse(typo)).isInstanceOf(InvalidDeviceIdException.class);
    }

    @Test
    void parse_wrongLengthOrAlphabet_saysWhy() {
        assertThatThrownBy(() -> DeviceId.parse("ABC")).hasMessageContaining("expected 56 characters");
        String withOne = DeviceId.of(new byte[32]).toString().replaceFirst("A", "1");
        assertThatThrownBy(() -> DeviceId.parse(withOne)).hasMessageContaining("'1' is not in A-Z, 2-7");
    }

    @Test
    void shortId_isTheFirstEightBytesBigEndian() {
        byte[] b = new byte[32];
        b[0] = 0x01;
        b[7] = 0x02;

        assertThat(DeviceId.of(b).shortId()).isEqualTo(0x0100000000000002L);
    }
}
