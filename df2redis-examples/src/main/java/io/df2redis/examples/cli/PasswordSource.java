package io.df2redis.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the command line takes a password from: the password option, a password file (its
 * content without trailing newlines; errors name the path, never the content) or an environment
 * variable. Stateless; errors are the options' usage errors.
 */
final class PasswordSource {
    private PasswordSource() {
    }

    /**
     * The password of one side: the option's {@code value}, else the content of {@code file}, else
     * the environment variable {@code env}, else null; giving both the option and its file is a
     * usage error. Every password found is registered with the {@link Redactor}.
     */
    static String resolve(ConnectionOptions o, String option, String value, Path file, String env) {
        Redactor.register(value);
        if (value != null && file != null) {
            throw o.usage(option + " and " + option + "-file: give only one");
        }
        if (value != null) {
            return value;
        }
        if (file != null) {
            String pw = readPasswordFile(o, option + "-file", file);
            Redactor.register(pw);
            return pw;
        }
        String fromEnv = System.getenv(env);
        Redactor.register(fromEnv);
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }

    /** The file's content without its trailing newline(s); errors name the path, never the content. */
    private static String readPasswordFile(ConnectionOptions o, String option, Path file) {
        if (Files.isDirectory(file)) {
            throw o.usage(option + " " + file + ": is a directory, not a password file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw o.usage(option + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw o.usage(option + " " + file + ": not readable (permission denied)");
        } catch (IOException e) {
            throw o.usage(option + " " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String pw = new String(bytes, StandardCharsets.UTF_8);
        int end = pw.length();
        while (end > 0 && (pw.charAt(end - 1) == '\n' || pw.charAt(end - 1) == '\r')) {
            end--;
        }
        pw = pw.substring(0, end);
        Redactor.register(pw);
        if (pw.isEmpty()) {
            throw o.usage(option + " " + file + ": the file is empty");
        }
        if (pw.indexOf('\n') >= 0) {
            throw o.usage(option + " " + file + ": holds several lines; a password file holds the password only");
        }
        return pw;
    }
}
