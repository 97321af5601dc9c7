package dev.bee.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) and OpenMetrics text for tests: every
 * line must be a comment, a {@code # HELP}/{@code # TYPE} line, {@code # EOF} (OpenMetrics) or a sample
 * {@code name{label="value",...} number}; anything else fails the test. Label values are unescaped.
 */
public record Exposition(String contentType, String body, List<Sample> samples) {
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ([-+]?(?:[0-9.eE+-]+|Inf|NaN))(?: [0-9.]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");

    /** GETs {@code url} with {@code accept} (null: none) and parses the answer. */
    public static Exposition scrape(String url, String accept) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            if (accept != null) {
                c.setRequestProperty("Accept", accept);
            }
            if (c.getResponseCode() != 200) {
                throw new AssertionError(url + " answered " + c.getResponseCode());
            }
            String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return parse(c.getContentType(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Exposition parse(String contentType, String body) {
        List<Sample> samples = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                if (line.startsWith("# ") && !line.startsWith("# HELP ") && !line.startsWith("# TYPE ")
                        && !line.startsWith("# UNIT ") && !line.equals("# EOF")) {
                    throw new AssertionError("not an exposition comment: " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not an exposition sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int at = 0;
                while (at < m.group(3).length()) {
                    if (!l.find(at) || l.start() != at) {
                        throw new AssertionError("bad labels in: " + line);
                    }
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                    at = l.end();
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))));
        }
        return new Exposition(contentType, body, samples);
    }

    /** Samples of {@code name} whose labels include every pair of {@code labels} (name, value, ...). */
    public List<Sample> find(String name, String... labels) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            boolean ok = s.name().equals(name);
            for (int i = 0; ok && i + 1 < labels.length; i += 2) {
                ok = labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }

    /** The value of the one sample that matches, if there is exactly one. */
    public OptionalDouble value(String name, String... labels) {
        List<Sample> f = find(name, labels);
        if (f.size() > 1) {
            throw new AssertionError("more than one sample of " + name + " with " + List.of(labels) + ": " + f);
        }
        return f.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(f.get(0).value());
    }
}
