package org.meshfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class SyncthingConfigTest {
    private static final String SELF = "AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA";
    private static final String PEER = "BBBBBBB-BBBBBBB-BBBBBBB-BBBBBBB-BBBBBBB-BBBBBBB-BBBBBBB-BBBBBBB";

    private final SyncthingConfig config = new SyncthingConfig("receiver", new InetSocketAddress("127.0.0.1", 41001),
            new InetSocketAddress("127.0.0.1", 41002), "bench", Path.of("/tmp/receiver-folder"), PEER, "sender",
            "tcp://127.0.0.1:41003");

    @Test
    void apply_generatedConfig_turnsOffDiscoveryRelaysNatAndLowPriority() throws IOException {
        Document doc = generated();

        config.apply(doc);

        Element options = SyncthingConfig.child(doc.getDocumentElement(), "options");
        assertThat(text(options, "listenAddress")).isEqualTo("tcp://127.0.0.1:41001");
        for (String off : List.of("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
                "startBrowser", "crashReportingEnabled", "setLowPriority")) {
            assertThat(text(options, off)).as(off).isEqualTo("false");
        }
        assertThat(text(options, "urAccepted")).isEqualTo("-1");
        assertThat(text(SyncthingConfig.child(doc.getDocumentElement(), "gui"), "address"))
                .isEqualTo("127.0.0.1:41002");
    }

    @Test
    void apply_generatedConfig_sharesFolderWithPeerKeepingDefaults() throws IOException {
        Document doc = generated();

        config.apply(doc);

        Element folder = SyncthingConfig.child(doc.getDocumentElement(), "folder");
        assertThat(folder.getAttribute("id")).isEqualTo("bench");
        assertThat(folder.getAttribute("path")).isEqualTo("/tmp/receiver-folder");
        assertThat(folder.getAttribute("fsWatcherEnabled")).isEqualTo("true");
        assertThat(folder.getAttribute("fsWatcherDelayS")).isEqualTo("10");
        assertThat(text(folder, "disableFsync")).isEqualTo("false");
        assertThat(children(folder, "device")).extracting(e -> e.getAttribute("id")).containsExactly(SELF, PEER);
        List<Element> devices = children(doc.getDocumentElement(), "device");
        assertThat(devices).extracting(e -> e.getAttribute("id")).containsExactly(SELF, PEER);
        assertThat(devices.get(0).getAttribute("name")).isEqualTo("receiver");
        assertThat(text(devices.get(1), "address")).isEqualTo("tcp://127.0.0.1:41003");
    }

    @Test
    void apply_configWithoutDefaults_namesMissingElement() throws IOException {
        Document doc = SyncthingConfig.parse(new ByteArrayInputStream("""
                <configuration version="36"><device id="%s"/><gui><address>x</address></gui>
                <options><listenAddress>default</listenAddress></options></configuration>""".formatted(SELF)
                .getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> config.apply(doc)).isInstanceOf(IOException.class).hasMessageContaining("<");
    }

    private static Document generated() throws IOException {
        try (InputStream in = SyncthingConfigTest.class.getResourceAsStream("syncthing-1.19-config.xml")) {
            return SyncthingConfig.parse(in);
        }
    }

    private static String text(Element parent, String name) throws IOException {
        return SyncthingConfig.child(parent, name).getTextContent();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
