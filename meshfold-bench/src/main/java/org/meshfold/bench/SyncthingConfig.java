package org.meshfold.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Edits the {@code config.xml} that {@code syncthing generate} wrote for one benchmark device.
 * The shared folder and the peer device are copies of the file's own {@code <defaults>}, so
 * every setting not named here is Syncthing's default: file watcher on with its 10 s delay,
 * fsync of every written file, hourly full rescan. Changed options, and why:
 * <ul>
 *   <li>listen on one loopback TCP address only, GUI and REST API on another loopback port;
 *   <li>global and local discovery, relays, NAT port mapping off: the devices find each other only
 *       through the configured address (the receiver's, pointing at the counting relay), and no
 *       traffic leaves the machine;
 *   <li>no browser, usage reporting, crash reporting or upgrades;
 *   <li>{@code setLowPriority} off: by default Syncthing lowers its own CPU priority, which would
 *       handicap it against the other tools on a loaded machine.
 * </ul>
 *
 * @param deviceName  this device's name
 * @param listen      this device's sync listen address
 * @param gui         this device's GUI and REST address
 * @param folderId    id of the shared folder
 * @param folder      path of the shared folder
 * @param peerId      the other device's id
 * @param peerName    the other device's name
 * @param peerAddress how to reach the other device: {@code tcp://HOST:PORT}, or {@code dynamic}
 *                    (with discovery off: never dialled)
 */
record SyncthingConfig(String deviceName, InetSocketAddress listen, InetSocketAddress gui, String folderId, Path folder,
        String peerId, String peerName, String peerAddress) {

    static final String DYNAMIC = "dynamic";

    /** Options set in {@code <options>}, by element name. */
    Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("listenAddress", "tcp://" + hostPort(listen));
        options.put("globalAnnounceEnabled", "false");
        options.put("localAnnounceEnabled", "false");
        options.put("relaysEnabled", "false");
        options.put("natEnabled", "false");
        options.put("startBrowser", "false");
        options.put("urAccepted", "-1");
        options.put("autoUpgradeIntervalH", "0");
        options.put("crashReportingEnabled", "false");
        options.put("setLowPriority", "false");
        return options;
    }

    /** Rewrites {@code home/config.xml}. */
    void applyTo(Path home) throws IOException {
        Path file = home.resolve("config.xml");
        Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = parse(in);
        }
        apply(doc);
        try (OutputStream out = Files.newOutputStream(file)) {
            write(doc, out);
        }
    }

    /** Applies this configuration to a parsed {@code config.xml} that has its {@code <defaults>}. */
    void apply(Document doc) throws IOException {
        Element root = doc.getDocumentElement();
        Element self = child(root, "device");
        String selfId = self.getAttribute("id");
        self.setAttribute("name", deviceName);

        Element options = child(root, "options");
        for (var e : options().entrySet()) {
            child(options, e.getKey()).setTextContent(e.getValue());
        }
        Element gui = child(root, "gui");
        child(gui, "address").setTextContent(hostPort(this.gui));

        Element defaults = child(root, "defaults");
        Element peer = (Element) child(defaults, "device").cloneNode(true);
        peer.setAttribute("id", peerId);
        peer.setAttribute("name", peerName);
        child(peer, "address").setTextContent(peerAddress);
        root.insertBefore(peer, gui);

        Element shared = (Element) child(defaults, "folder").cloneNode(true);
        shared.setAttribute("id", folderId);
        shared.setAttribute("label", folderId);
        shared.setAttribute("path", folder.toString());
        shared.setAttribute("fsWatcherEnabled", "true");
        Element member = child(shared, "device");
        member.setAttribute("id", selfId);
        Element other = (Element) member.cloneNode(true);
        other.setAttribute("id", peerId);
        shared.insertBefore(other, member.getNextSibling());
        root.insertBefore(shared, self);
    }

    static Document parse(InputStream in) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("Syncthing's config.xml could not be read: " + e.getMessage(), e);
        }
    }

    static void write(Document doc, OutputStream out) throws IOException {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IOException("Syncthing's config.xml could not be written: " + e.getMessage(), e);
        }
    }

    /** The first direct child element named {@code name}. */
    static Element child(Element parent, String name) throws IOException {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new IOException("Syncthing's config.xml has no <" + name + "> in <" + parent.getTagName()
                + ">: this Syncthing version writes another layout; 1.19 is known to work");
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
