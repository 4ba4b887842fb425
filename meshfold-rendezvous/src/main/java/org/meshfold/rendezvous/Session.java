package org.meshfold.rendezvous;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.meshfold.identity.DeviceId;

/**
 * One authenticated device connection. {@code bucket} is used only on the channel's event loop.
 *
 * @param observed the source address of the connection: the device's server-reflexive address
 */
record Session(DeviceId device, Channel channel, InetSocketAddress observed, TokenBucket bucket) {
}
