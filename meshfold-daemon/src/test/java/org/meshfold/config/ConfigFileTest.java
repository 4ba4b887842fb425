package org.meshfold.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceId;

class ConfigFileTest {
    private static final DeviceId PEER = DeviceId.of(new byte[32]);

    @TempDir
    Path home;

    @Test
    void saveThenLoad_roundTripsEveryField() {
        NodeConfig config = new NodeConfig("laptop", new InetSocketAddress("127.0.0.1", 22001),
                List.of(new FolderConfig("abc-123", "Sync", home.resolve("Sync"), Set.of(PEER))),
                List.of(new PeerConfig(PEER, "desktop", List.of(new InetSocketAddress("127.0.0.1", 22002)))),
                Duration.ofSeconds(120), Duration.ofMillis(50),
                new DiscoveryConfig(false, 21030, List.of(new InetSocketAddress("127.255.255.255", 21030))),
                new RendezvousConfig(List.of(new RendezvousUrl("203.0.113.5", 7443, PEER),
                        new RendezvousUrl("::1", 7444, PEER)),
                        Optional.of(TurnServer.parse("turn:203.0.113.9:3478?transport=tcp", "alice", "s3cret"))), false);

        ConfigFile.save(home, config);

        assertThat(ConfigFile.load(home)).isEqualTo(config);
    }

    @Test
    void save_writesSortedReadableLines() throws IOException {
        ConfigFile.save(home, NodeConfig.defaults("laptop"));

        List<String> lines = Files.readAllLines(ConfigFile.path(home));
        assertThat(lines.get(0)).startsWith("#");
        assertThat(lines.subList(1, lines.size())).isSorted().contains("device.name=laptop");
    }

    @Test
    void load_badDeviceId_namesTheKeyAndTheProblem() throws IOException {
        Files.writeString(ConfigFile.path(home), "folder.f.path=/tmp/x\nfolder.f.devices=NOT-AN-ID\n");

        assertThatThrownBy(() -> ConfigFile.load(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("folder.f.devices")
                .hasMessageContaining("invalid device id");
    }

    @Test
    void load_badPortOrNumber_isRejectedWithTheValue() throws IOException {
        Files.writeString(ConfigFile.path(home), "listen=0.0.0.0:99999\n");
        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("listen").hasMessageContaining("99999");

        Files.writeString(ConfigFile.path(home), "rescan.interval.seconds=-5\n");
        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("rescan.interval.seconds");
    }

    @Test
    void load_transportQuic_defaultsOffAndRejectsNonBoolean() throws IOException {
        Files.writeString(ConfigFile.path(home), "device.name=laptop\n");
        assertThat(ConfigFile.load(home).quic()).isFalse();

        Files.writeString(ConfigFile.path(home), "transport.quic=false\n");
        assertThat(ConfigFile.load(home).quic()).isFalse();

        Files.writeString(ConfigFile.path(home), "transport.quic=maybe\n");
        assertThatThrownBy(() -> ConfigFile.load(home)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("transport.quic").hasMessageContaining("maybe");
    }

    @Test
    void load_noDiscoveryKeys_lanDiscoveryOnWithProductionDefaults() throws IOException {
        Files.writeString(ConfigFile.path(home), "device.name=laptop\n");

        DiscoveryConfig discovery = ConfigFile.load(home).discovery();

        assertThat(discovery).isEqualTo(DiscoveryConfig.DEFAULT);
        assertThat(discovery.lan()).isTrue();
        assertThat(discovery.port()).isEqualTo(21025);
        assertThat(discovery.options().listen().getPort()).isEqualTo(21025);
    }

    @Test
    void load_discoveryTargets_announceOnlyThere() throws IOException {
        Files.writeString(ConfigFile.path(home),
                "discovery.lan=true\ndiscovery.lan.port=21040\ndiscovery.lan.targets=127.255.255.255:21040, 127.0.0.1:21041\n");

        DiscoveryConfig discovery = ConfigFile.load(home).discovery();

        assertThat(discovery.port()).isEqualTo(21040);
        assertThat(discovery.options().targets().current()).extracting(t -> t.address())
                .containsExactly(new InetSocketAddress("127.255.255.255", 21040), new InetSocketAddress("127.0.0.1", 21041));
        assertThat(discovery.options().listen()).isEqualTo(new InetSocketAddress("0.0.0.0", 21040));
    }

    @Test
    void load_badDiscoverySettings_areRejectedNamingTheKey() throws IOException {
        Files.writeString(ConfigFile.path(home), "discovery.lan=yes\n");
        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("discovery.lan must be true or false")
                .hasMessageContaining("'yes'");

        Files.writeString(ConfigFile.path(home), "discovery.lan.port=0\n");
        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("discovery.lan.port");

        Files.writeString(ConfigFile.path(home), "discovery.lan.targets=127.0.0.1\n");
        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("discovery.lan.targets");
    }

    @Test
    void load_missingFolderPath_isRejected() throws IOException {
        Files.writeString(ConfigFile.path(home), "folder.f.label=x\n");

        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("folder.f.path is missing");
    }

    @Test
    void load_missingFile_saysHowToCreateOne() {
        assertThatThrownBy(() -> ConfigFile.load(home)).hasMessageContaining("meshfold init");
    }

    @Test
    void load_malformedRendezvousUrl_namesTheKeyAndTheUrl() throws IOException {
        Files.writeString(ConfigFile.path(home), "rendezvous=http://example.org:80/x\n");

        assertThatThrownBy(() -> ConfigFile.load(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rendezvous:")
                .hasMessageContaining("http://example.org:80/x");
    }

    @Test
    void load_turnUserWithoutPassword_isRejected() throws IOException {
        Files.writeString(ConfigFile.path(home), "turn=turn:203.0.113.9:3478\nturn.user=alice\n");

        assertThatThrownBy(() -> ConfigFile.load(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("turn")
                .hasMessageContaining("both a user and a password");
    }

    @Test
    void load_noRendezvousKeys_isNone() throws IOException {
        Files.writeString(ConfigFile.path(home), "device.name=x\n");

        assertThat(ConfigFile.load(home).rendezvous()).isEqualTo(RendezvousConfig.NONE);
    }
}
