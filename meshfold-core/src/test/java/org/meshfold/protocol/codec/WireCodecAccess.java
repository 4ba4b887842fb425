package org.meshfold.protocol.codec;

import com.google.protobuf.CodedOutputStream;
import org.meshfold.index.FileRecord;

/** Lets tests of other packages measure the codec's output. */
public final class WireCodecAccess {
    private WireCodecAccess() {
    }

    /** Bytes {@code record} takes inside an IndexUpdate, including its field tag and length. */
    public static int encodedSize(FileRecord record) {
        int size = FileInfoCodec.encode(record).getSerializedSize();
        return CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
}
