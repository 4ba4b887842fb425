package org.meshfold.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.api.ControlMessages.InviteAnswer;
import org.meshfold.api.ControlMessages.JoinAnswer;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.TestNode;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteCodec;

/** Pairing and revoking through the REST API of running daemons, and the API's answers to bad requests. */
class ControlRoutesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    @Test
    void inviteThenJoin_twoRunningDaemons_folderSyncsWithoutRestart() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        TestNode b = keep(new TestNode(base, "b"));
        Files.writeString(a.folder.resolve("photo.jpg"), "pixels");
        keep(ApiServer.start(a.home, a.start(), 0));
        DeviceNode nodeB = keep(b.startWithOwnFolder());
        keep(ApiServer.start(b.home, nodeB, 0));
        ApiClient clientA = ApiClient.forHome(a.home).orElseThrow();
        ApiClient clientB = ApiClient.forHome(b.home).orElseThrow();
        Path target = base.resolve("b-joined");

        InviteAnswer invite = clientA.invite(TestNode.FOLDER, Duration.ofMinutes(5));
        JoinAnswer joined = clientB.join(invite.code(), target);

        assertThat(InviteCodec.decode(invite.code(), Clock.systemUTC()).inviter()).isEqualTo(a.id);
        assertThat(invite.folderId()).isEqualTo(TestNode.FOLDER);
        assertThat(invite.addresses()).containsExactly("127.0.0.1:" + a.node().listenAddress().getPort());
        assertThat(Instant.parse(invite.expiresAt())).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
        assertThat(joined.inviter()).isEqualTo(a.id.toString());
        assertThat(joined.folderId()).isEqualTo(TestNode.FOLDER);
        assertThat(joined.folderLabel()).isEqualTo(TestNode.FOLDER + "-label");
        assertThat(joined.path()).isEqualTo(target.toString());
        TestNode.await("a's file in b's new folder", DEADLINE, () -> hasContent(target.resolve("photo.jpg"), "pixels"));
        TestNode.await("each daemon lists the other as connected", DEADLINE, () ->
                a.node().snapshot().devices().stream().anyMatch(d -> d.id().equals(b.id.toString()) && d.connected())
                        && nodeB.snapshot().devices().stream().anyMatch(d -> d.id().equals(a.id.toString()) && d.connected()));
        assertThat(clientB.status().folders()).extracting(f -> f.id()).containsExactlyInAnyOrder("own", TestNode.FOLDER);

        HttpResponse<String> again = send(b.home, "POST", "/rest/join",
                Json.write(new ControlMessages.JoinRequest(invite.code(), target.toString())));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).isNotBlank();
    }

    @Test
    void join_malformedOrExpiredCode_is400WithTheReasonAndChangesNothing() throws Exception {
        TestNode b = keep(new TestNode(base, "b"));
        keep(ApiServer.start(b.home, keep(b.startWithOwnFolder()), 0));
        Path target = base.resolve("b-joined");
        String expired = InviteCodec.encode(new Invite(new TestNode(base, "a").id, "shared", "label",
                List.of(new InetSocketAddress("127.0.0.1", 1)), List.of(), new byte[Invite.SECRET_BYTES],
                Instant.now().minusSeconds(60)));

        HttpResponse<String> truncated = send(b.home, "POST", "/rest/join",
                "{\"code\": \"mf1:AEAQCAIBAEAQCAIB\", \"path\": \"" + target + "\"}");
        HttpResponse<String> late = send(b.home, "POST", "/rest/join",
                Json.write(new ControlMessages.JoinRequest(expired, target.toString())));
        HttpResponse<String> notJson = send(b.home, "POST", "/rest/join", "code=mf1:x");

        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(json(truncated).get("reason").asText()).isEqualTo("TRUNCATED");
        assertThat(json(truncated).get("error").asText()).containsIgnoringCase("code");
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(json(late).get("reason").asText()).isEqualTo("EXPIRED");
        assertThat(json(late).get("error").asText()).contains("expired");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("error").asText()).contains("JSON");
        assertThat(target).doesNotExist();
        assertThat(ConfigFile.load(b.home).folders()).extracting(FolderConfig::id).containsExactly("own");
        ApiClient client = ApiClient.forHome(b.home).orElseThrow();
        assertThatThrownBy(() -> client.join("hello", target)).isInstanceOfSatisfying(ApiRequestException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void deleteDevice_pairedUnknownOrMalformed_is204Then404Or400() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        TestNode b = new TestNode(base, "b");
        keep(ApiServer.start(a.home, a.start(b), 0));

        HttpResponse<String> removed = send(a.home, "DELETE", "/rest/devices/" + b.id, null);
        HttpResponse<String> unknown = send(a.home, "DELETE", "/rest/devices/" + b.id, null);
        HttpResponse<String> malformed = send(a.home, "DELETE", "/rest/devices/not-a-device", null);
        HttpResponse<String> wrongMethod = send(a.home, "GET", "/rest/devices/" + b.id, null);

        assertThat(removed.statusCode()).isEqualTo(204);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains(b.id.toString()).contains("not paired");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("error").asText()).isNotBlank();
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("DELETE");
        assertThat(ConfigFile.load(a.home).knows(b.id)).isFalse();
        assertThat(a.node().snapshot().devices()).isEmpty();
    }

    @Test
    void invite_unknownFolderOrBadLifetime_is404Or400() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        keep(ApiServer.start(a.home, a.start(), 0));

        HttpResponse<String> unknown = send(a.home, "POST", "/rest/invites", "{\"folder\": \"nope\"}");
        HttpResponse<String> tooLong = send(a.home, "POST", "/rest/invites",
                "{\"folder\": \"" + TestNode.FOLDER + "\", \"ttlSeconds\": 999999}");
        HttpResponse<String> noFolder = send(a.home, "POST", "/rest/invites", "{}");
        HttpResponse<String> byPath = send(a.home, "POST", "/rest/invites",
                Json.write(new ControlMessages.InviteRequest(a.folder.toString(), 60L)));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("nope");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(noFolder.statusCode()).isEqualTo(400);
        assertThat(byPath.statusCode()).isEqualTo(200);
        assertThat(json(byPath).get("code").asText()).startsWith(InviteCodec.PREFIX);
        assertThat(json(byPath).get("folderId").asText()).isEqualTo(TestNode.FOLDER);
    }

    @Test
    void postFolders_newThenSamePath_addsOnceAndSyncsAtOnce() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        keep(ApiServer.start(a.home, a.start(), 0));
        ApiClient client = ApiClient.forHome(a.home).orElseThrow();
        Path photos = base.resolve("photos");

        ControlMessages.FolderAnswer added = client.addFolder(photos, null, "photos-1");
        ControlMessages.FolderAnswer again = client.addFolder(photos, "Other", null);
        HttpResponse<String> getFolders = send(a.home, "GET", "/rest/folders", null);

        assertThat(added).isEqualTo(new ControlMessages.FolderAnswer("photos-1", "photos", photos.toString(), true));
        assertThat(again).isEqualTo(new ControlMessages.FolderAnswer("photos-1", "photos", photos.toString(), false));
        assertThat(getFolders.statusCode()).isEqualTo(200);
        assertThat(json(getFolders).get("folders").findValuesAsText("id")).containsExactlyInAnyOrder(TestNode.FOLDER,
                "photos-1");
        assertThat(ConfigFile.load(a.home).folder("photos-1").map(FolderConfig::path)).contains(photos);
        Files.writeString(photos.resolve("beach.jpg"), "pixels");
        TestNode.await("the new folder's file in the index", DEADLINE, () -> a.node().snapshot().folders().stream()
                .anyMatch(f -> f.id().equals("photos-1") && Long.valueOf(1).equals(f.localFiles())));
    }

    @Test
    void postFolders_regularFileRelativeTakenOrMalformedId_is400AndChangesNothing() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        keep(ApiServer.start(a.home, a.start(), 0));
        Path file = Files.writeString(base.resolve("notes.txt"), "text");
        Path other = base.resolve("other");

        HttpResponse<String> regularFile = send(a.home, "POST", "/rest/folders",
                Json.write(new ControlMessages.AddFolderRequest(file.toString(), null, null)));
        HttpResponse<String> relative = send(a.home, "POST", "/rest/folders", "{\"path\": \"photos\"}");
        HttpResponse<String> noPath = send(a.home, "POST", "/rest/folders", "{}");
        HttpResponse<String> takenId = send(a.home, "POST", "/rest/folders",
                Json.write(new ControlMessages.AddFolderRequest(other.toString(), null, TestNode.FOLDER)));
        HttpResponse<String> badId = send(a.home, "POST", "/rest/folders",
                Json.write(new ControlMessages.AddFolderRequest(other.toString(), null, "a/b")));
        HttpResponse<String> wrongMethod = send(a.home, "PUT", "/rest/folders", "{}");

        assertThat(regularFile.statusCode()).isEqualTo(400);
        assertThat(json(regularFile).get("error").asText()).contains(file.toString()).contains("not a directory");
        assertThat(relative.statusCode()).isEqualTo(400);
        assertThat(json(relative).get("error").asText()).contains("absolute");
        assertThat(noPath.statusCode()).isEqualTo(400);
        assertThat(takenId.statusCode()).isEqualTo(400);
        assertThat(json(takenId).get("error").asText()).contains("already used for " + a.folder);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("error").asText()).contains("'a/b'");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(Files.readString(file)).isEqualTo("text");
        assertThat(ConfigFile.load(a.home).folders()).extracting(FolderConfig::id).containsExactly(TestNode.FOLDER);
        assertThat(a.node().snapshot().folders()).hasSize(1);
    }

    private HttpResponse<String> send(Path home, String method, String path, String body) throws Exception {
        ApiClient client = ApiClient.forHome(home).orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + client.address() + path))
                .timeout(DEADLINE)
                .header("X-API-Key", ApiKey.load(home).orElseThrow().text())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }


    private static boolean hasContent(Path file, String content) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(content);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
