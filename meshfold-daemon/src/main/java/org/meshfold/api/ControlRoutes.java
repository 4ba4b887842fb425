package org.meshfold.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.meshfold.api.ControlMessages.AddFolderRequest;
import org.meshfold.api.ControlMessages.Error;
import org.meshfold.api.ControlMessages.FolderAnswer;
import org.meshfold.api.ControlMessages.InviteAnswer;
import org.meshfold.api.ControlMessages.InviteRequest;
import org.meshfold.api.ControlMessages.JoinAnswer;
import org.meshfold.api.ControlMessages.JoinRequest;
import org.meshfold.config.FolderConfig;
import org.meshfold.daemon.AddedFolder;
import org.meshfold.daemon.LocalFolder;
import org.meshfold.daemon.UnknownFolderException;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.InvalidDeviceIdException;
import org.meshfold.pairing.InvalidInviteException;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteCodec;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.pairing.PendingInvites;

/**
 * The endpoints that change the running device:
 * <ul>
 * <li>{@code POST /rest/invites} {@link InviteRequest} → 200 {@link InviteAnswer}; 400 bad request
 *     or lifetime, 404 unknown folder, 409 too many open invites;
 * <li>{@code POST /rest/join} {@link JoinRequest} → 200 {@link JoinAnswer}; 400 invalid or expired
 *     code or unusable path, 409 the inviter refused (code used, expired, unknown; already paired;
 *     not accepting), 502 the inviter could not be reached or broke off;
 * <li>{@code POST /rest/folders} {@link AddFolderRequest} → 200 {@link FolderAnswer} (the folder
 *     already at that path, unchanged, or the one added and now syncing); 400 the path is not an
 *     absolute, writable directory, or the id is malformed or used for another directory;
 * <li>{@code DELETE /rest/devices/ID} → 204; 400 not a device id, 404 not paired.
 * </ul>
 * Errors are {@link Error} JSON. Runs on the server's handler threads; a join blocks its thread
 * while pairing.
 */
final class ControlRoutes {
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String DEVICES = "/rest/devices/";
    /** Also answers GET with the folders' status, outside these routes. */
    static final String FOLDERS = "/rest/folders";

    private final DeviceControl control;
    private final Clock clock;

    /** An answer: status code and JSON body (null for no body). */
    record Answer(int status, Object body) {
    }

    ControlRoutes(DeviceControl control, Clock clock) {
        this.control = control;
        this.clock = clock;
    }

    /** Whether {@code method path} is one of these endpoints. */
    static boolean serves(String method, String path) {
        return methodFor(path).map(method::equals).orElse(method.equals("POST") && path.equals(FOLDERS));
    }

    /** The method {@code path} accepts, if it is one of these endpoints and accepts no other. */
    static Optional<String> methodFor(String path) {
        if (path.equals("/rest/invites") || path.equals("/rest/join")) {
            return Optional.of("POST");
        }
        if (path.startsWith(DEVICES) && path.length() > DEVICES.length()) {
            return Optional.of("DELETE");
        }
        return Optional.empty();
    }

    Answer serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            return switch (path) {
                case "/rest/invites" -> invite(read(exchange, InviteRequest.class));
                case "/rest/join" -> join(read(exchange, JoinRequest.class));
                case FOLDERS -> addFolder(read(exchange, AddFolderRequest.class));
                default -> removeDevice(path.substring(DEVICES.length()));
            };
        } catch (BadRequestException e) {
            return new Answer(400, new Error(e.getMessage()));
        }
    }

    private Answer invite(InviteRequest request) throws BadRequestException {
        if (request.folder() == null || request.folder().isBlank()) {
            throw new BadRequestException("'folder' (a folder id or absolute path) is required");
        }
        long ttl = request.ttlSeconds() == null ? PendingInvites.DEFAULT_TTL.toSeconds() : request.ttlSeconds();
        try {
            Invite invite = control.invite(request.folder(), Duration.ofSeconds(ttl));
            return new Answer(200, new InviteAnswer(InviteCodec.encode(invite), invite.folderId(), invite.folderLabel(),
                    invite.expiry().toString(), invite.addresses().stream().map(ControlRoutes::hostPort).toList()));
        } catch (UnknownFolderException e) {
            return new Answer(404, new Error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Answer(400, new Error(e.getMessage()));
        } catch (IllegalStateException e) {
            return new Answer(409, new Error(e.getMessage()));
        }
    }

    private Answer join(JoinRequest request) throws BadRequestException, IOException {
        if (request.code() == null || request.path() == null) {
            throw new BadRequestException("'code' (the mf1: invite code) and 'path' (an absolute directory) are required");
        }
        Invite invite;
        Path folder;
        try {
            invite = InviteCodec.decode(request.code(), clock);
            folder = Path.of(request.path());
        } catch (InvalidInviteException e) {
            return new Answer(400, new Error(e.getMessage(), e.reason().name()));
        } catch (InvalidPathException e) {
            throw new BadRequestException("'" + request.path() + "' is not a path: " + e.getMessage());
        }
        try {
            PairingOutcome outcome = control.join(invite, folder);
            return new Answer(200, new JoinAnswer(outcome.inviter().toString(), org.meshfold.daemon.InviteJoiner.describe(outcome.address()),
                    outcome.folderId(), outcome.folderLabel(), folder.normalize().toString()));
        } catch (IllegalArgumentException e) {
            return new Answer(400, new Error(e.getMessage()));
        } catch (PairingFailedException e) {
            int status = switch (e.reason()) {
                case REFUSED, ALREADY_PAIRED, NOT_ACCEPTING -> 409;
                case UNREACHABLE, WRONG_DEVICE, TIMEOUT, BROKEN -> 502;
            };
            return new Answer(status, new Error(e.getMessage(), e.reason().name()));
        }
    }

    private Answer addFolder(AddFolderRequest request) throws BadRequestException {
        if (request.path() == null || request.path().isBlank()) {
            throw new BadRequestException("'path' (the absolute directory of the folder) is required");
        }
        Path dir;
        try {
            dir = Path.of(request.path());
        } catch (InvalidPathException e) {
            throw new BadRequestException("'" + request.path() + "' is not a path: " + e.getMessage());
        }
        if (!dir.isAbsolute()) {
            throw new BadRequestException("'path' must be absolute, not '" + request.path() + "'");
        }
        String label = request.label() == null || request.label().isBlank() ? LocalFolder.defaultLabel(dir.normalize())
                : request.label();
        try {
            String id = request.id() == null ? LocalFolder.newId() : LocalFolder.checkId(request.id());
            AddedFolder added = control.addFolder(new FolderConfig(id, label, dir, Set.of()));
            FolderConfig folder = added.folder();
            return new Answer(200, new FolderAnswer(folder.id(), folder.label(), folder.path().toString(),
                    added.created()));
        } catch (IllegalArgumentException | IOException e) {
            return new Answer(400, new Error(e.getMessage()));
        }
    }

    private Answer removeDevice(String id) {
        DeviceId device;
        try {
            device = DeviceId.parse(id);
        } catch (InvalidDeviceIdException e) {
            return new Answer(400, new Error(e.getMessage()));
        }
        if (!control.removeDevice(device)) {
            return new Answer(404, new Error("device " + device + " is not paired with this device (see /rest/devices)"));
        }
        return new Answer(204, null);
    }

    private static <T> T read(HttpExchange exchange, Class<T> type) throws IOException, BadRequestException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new BadRequestException("request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            T value = Json.read(new String(body, StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new BadRequestException("the request body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the request body is not the expected JSON: " + e.getOriginalMessage());
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** A request this API cannot act on; answered with 400. */
    private static final class BadRequestException extends Exception {
        BadRequestException(String message) {
            super(message);
        }
    }
}
