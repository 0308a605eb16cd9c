package dev.lineagehub.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of lineage-hub this build is: what {@code --version} prints, the start log says and the image labels. */
public final class Version {

    private static final String CURRENT = read();

    private Version() {
    }

    public static String current() {
        return CURRENT;
    }

    /**
     * {@code --version} as the first argument: prints {@code lineage-hub <component> <version>} and answers true, so the
     * caller exits without starting anything.
     */
    public static boolean printed(String component, String[] args) {
        if (args.length > 0 && args[0].equals("--version")) {
            System.out.println("lineage-hub " + component + " " + CURRENT);
            return true;
        }
        return false;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/lineage-hub-version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("the build wrote no lineage-hub-version.properties", e);
        }
    }
}
