package org.imagepolicy.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces files so that readers see either the old or the new content, never a partial write;
 * a server watching the directory could otherwise load a truncated certificate.
 */
final class AtomicFiles {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /**
   * Writes {@code content} to {@code target}. The permissions are applied to the temporary file
   * before any content is written, so a private key is never readable by others, not even
   * briefly. They are ignored on file systems without POSIX permissions.
   */
  static void write(Path target, String content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    // Same directory as the target: a rename is only atomic within one file system.
    Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
    try {
      if (supportsPosix(directory)) {
        Files.setPosixFilePermissions(temp, permissions);
      }
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static boolean supportsPosix(Path path) throws IOException {
    return Files.getFileStore(path).supportsFileAttributeView("posix");
  }

  private static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
