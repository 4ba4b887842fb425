/**
 * Rendezvous: finding paired devices across the internet through a small server
 * ({@code meshfold rendezvous}, module {@code meshfold-rendezvous}), and the device end of it,
 * {@link org.meshfold.discovery.rendezvous.RendezvousClient}.
 *
 * <h2>Trust</h2>
 * A device keeps one session per configured server: TCP + TLS 1.3 through the ordinary
 * {@link org.meshfold.transport.TcpTlsTransport}, both sides presenting their Ed25519
 * certificates. The server has its own identity and accepts any device (it learns only ids and
 * addresses); the device pins the server's id from the URL {@code mfr://HOST:PORT/<server id>}.
 * The server is still not trusted to speak for other devices: an address record is signed by the
 * device it describes, and the device that looks it up verifies it itself
 * ({@link org.meshfold.discovery.rendezvous.SignedRecords#verify}: the carried key hashes to the
 * requested id, the signature covers a context string and the exact body bytes, the record is
 * unexpired). A lying server can hide a device or serve its stale-but-unexpired record; it cannot
 * redirect a device's peers to itself, and the TLS pinning between devices would stop that anyway.
 * The observed (reflexive) addresses it reports are unsigned hints for hole punching.
 *
 * <h2>Wire</h2>
 * Frames are a uint32 big-endian length and one protobuf {@code Frame} ({@code rendezvous.proto});
 * a length above {@link org.meshfold.discovery.rendezvous.RendezvousFrames#MAX_FRAME_BYTES}
 * (64 KiB) ends the session, since the stream cannot be resynchronised. A request carries a
 * non-zero {@code request_id} that its answer (or {@code Error}) echoes; pushes carry 0.
 * <pre>
 *  device                                  server
 *  (TLS handshake: device pins the server id, server reads the device id)
 *                                       &lt;- ObservedAddress(source ip:port of the session)   [doubles as STUN]
 *  Register(SignedRecord)               -&gt; verify: own id, signature, expiry at most maxTtl ahead
 *                                       &lt;- Registered(expires) | Error(BAD_RECORD)
 *  Lookup(device id)                    -&gt;
 *                                       &lt;- LookupResult(SignedRecord, observed address if connected)
 *                                          | Error(NOT_FOUND)
 *  PunchRequest(target, my candidates)  -&gt; target connected? start = now + punchDelay
 *                                          target &lt;- PunchOffer(from, candidates, from's observed, start)
 *                                       &lt;- PunchScheduled(start, target's observed) | Error(NOT_CONNECTED)
 *  PairingRelay(target, blob &lt;= 4 KiB)  -&gt; target &lt;- PairingMessage(from, blob)
 *                                       &lt;- PairingRelayed | Error(NOT_CONNECTED)
 *  TurnRequest                          -&gt;
 *                                       &lt;- TurnCredentials(url, "expiry:device-id",
 *                                            base64(HMAC-SHA1(secret, username))) | Error(TURN_NOT_CONFIGURED)
 * </pre>
 * Both punch sides learn one start time from the server's clock: the requester in the answer, the
 * target in the offer; each then probes the other's candidates from that moment (simultaneous
 * open). Start times are wall-clock instants, so devices with skewed clocks start apart by the
 * skew; probing for a few seconds absorbs ordinary NTP skew. A {@code from} id in a push is the
 * sender's TLS-proven id, so a device cannot relay in another's name.
 *
 * <h2>Bounds</h2>
 * Nothing is persisted; the server forgets everything on restart and devices re-register.
 * Limits: sessions and records (refused with {@code SERVER_FULL}); one session per device (a new
 * one replaces the old); at most 16 addresses and 1 KiB per record body; 4 KiB per relayed blob;
 * a token bucket per session for lookups, punches, relays and TURN requests (default 20 at once,
 * 10 per second; beyond it {@code RATE_LIMITED} with the limits in the message, and the session
 * stays open; other devices are unaffected). Records expire at their signed expiry, dropped on
 * lookup and swept when the store is full, so no timer is needed.
 *
 * <p>Measured: the record store takes about 0.5 MiB per 1,000 registered devices (three
 * addresses each, {@code RendezvousMemoryTest}); each open session adds its TLS engine and
 * socket buffers on top.
 */
package org.meshfold.discovery.rendezvous;
