package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Arbitrary bytes from the network never crash the decoders with anything but a named failure. */
class StunCodecPropertiesTest {
    @Property(tries = 2000)
    void decode_arbitraryBytesAfterValidHeader_onlyStunFormatException(@ForAll @Size(max = 200) byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(20 + body.length).putShort((short) 0x0101)
                .putShort((short) body.length).putInt(StunCodec.MAGIC_COOKIE).put(new byte[12]).put(body);
        try {
            StunMessage m = StunCodec.decode(b.array());
            assertThat(m.method()).isEqualTo(StunMethod.BINDING);
        } catch (StunFormatException expected) {
            assertThat(expected).hasMessageNotContaining("null");
        }
    }

    @Property(tries = 2000)
    void decode_arbitraryChannelData_onlyStunFormatException(@ForAll @Size(max = 40) byte[] bytes) {
        try {
            assertThat(ChannelData.decode(ByteBuffer.wrap(bytes)).data().length).isLessThanOrEqualTo(bytes.length - 4);
        } catch (StunFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
