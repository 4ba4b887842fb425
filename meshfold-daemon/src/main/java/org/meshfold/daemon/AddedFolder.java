package org.meshfold.daemon;

import org.meshfold.config.FolderConfig;

/**
 * The answer to adding a folder to a running device: the folder as configured, and whether it was
 * added now ({@code false}: a folder with that directory was already configured, and is unchanged).
 */
public record AddedFolder(FolderConfig folder, boolean created) {
}
