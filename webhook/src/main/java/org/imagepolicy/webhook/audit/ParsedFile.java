package org.imagepolicy.webhook.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;

/**
 * One input read, parsed and unpacked, ready for judging: its objects and problems in input order.
 * Made on a worker thread (parsing is most of an audit's work; the engine's part is small), handed to
 * the judging thread in file order.
 *
 * @param items  {@link AuditObject}s and {@link InputProblem}s, in input order
 * @param parsed whether the file parsed (wholly or up to a problem after some documents); false when unreadable
 * @param emptyDocuments YAML documents with nothing in them
 */
record ParsedFile(InputFiles.Input input, List<Object> items, boolean parsed, int emptyDocuments) {

    static ParsedFile parse(InputFiles.Input input, InputStream stdin) {
        List<Object> items = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = read(input, stdin);
        } catch (IOException | RuntimeException e) {
            items.add(new InputProblem(Location.of(input.name()), "cannot read: " + e.getMessage()));
            return new ParsedFile(input, items, false, 0);
        }
        ObjectUnpacker unpacker = new ObjectUnpacker(items::add, items::add);
        int[] empty = {0};
        boolean parsed = ManifestReader.read(input.name(), bytes, new ManifestReader.Sink() {
            @Override
            public void document(SourceDocument document) {
                unpacker.unpack(document);
            }

            @Override
            public void problem(InputProblem problem) {
                items.add(problem);
            }

            @Override
            public void empty() {
                empty[0]++;
            }
        });
        return new ParsedFile(input, items, parsed, empty[0]);
    }

    private static byte[] read(InputFiles.Input input, InputStream stdin) throws IOException {
        if (input.stdin()) {
            byte[] data = stdin.readNBytes(ManifestReader.MAX_BYTES + 1);
            if (data.length > ManifestReader.MAX_BYTES) {
                throw new IOException("larger than " + ManifestReader.MAX_BYTES + " bytes");
            }
            return data;
        }
        if (input.size() > ManifestReader.MAX_BYTES) {
            throw new IOException("larger than " + ManifestReader.MAX_BYTES + " bytes");
        }
        return Files.readAllBytes(input.path());
    }
}
