package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TurnChannelDataTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encode_unpaddedAndPadded_exactBytes() {
        ChannelData c = new ChannelData(0x4001, new byte[] {1, 2, 3, 4, 5});

        assertThat(HEX.formatHex(c.encode(false))).isEqualTo("400100050102030405");
        assertThat(HEX.formatHex(c.encode(true))).isEqualTo("400100050102030405000000");
    }

    @Test
    void decode_withOrWithoutPadding_sameMessage() throws Exception {
        ChannelData c = new ChannelData(0x4FFF, new byte[] {9, 8, 7});

        assertThat(ChannelData.decode(ByteBuffer.wrap(c.encode(false)))).isEqualTo(c);
        assertThat(ChannelData.decode(ByteBuffer.wrap(c.encode(true)))).isEqualTo(c);
        assertThat(ChannelData.looksLikeChannelData(ByteBuffer.wrap(c.encode(true)))).isTrue();
    }

    @Test
    void decode_hostile_throwsSpecificException() {
        assertThatThrownBy(() -> ChannelData.decode(ByteBuffer.wrap(HEX.parseHex("4001"))))
                .isInstanceOf(StunFormatException.Truncated.class);
        assertThatThrownBy(() -> ChannelData.decode(ByteBuffer.wrap(HEX.parseHex("40010008010203"))))
                .isInstanceOf(StunFormatException.Truncated.class);
        assertThatThrownBy(() -> ChannelData.decode(ByteBuffer.wrap(HEX.parseHex("5001000101"))))
                .isInstanceOf(StunFormatException.BadAttribute.class);
        assertThatThrownBy(() -> ChannelData.decode(ByteBuffer.wrap(HEX.parseHex("400100010100000000"))))
                .isInstanceOf(StunFormatException.BadLength.class);
    }

    @Test
    void constructor_channelOutOfRange_refused() {
        assertThatThrownBy(() -> new ChannelData(0x3FFF, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
