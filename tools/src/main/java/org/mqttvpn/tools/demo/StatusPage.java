package org.mqttvpn.tools.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows of the virtual device's status page ({@code <tr><th>name</th><td>value</td></tr>}). */
public final class StatusPage {
    private static final Pattern ROW = Pattern.compile("<tr><th>([^<]+)</th><td[^>]*>([^<]*)</td></tr>");

    private StatusPage() {
    }

    public static Map<String, String> rows(String html) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.put(m.group(1).trim(), m.group(2).trim());
        }
        return rows;
    }
}
