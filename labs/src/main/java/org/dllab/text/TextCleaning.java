package org.dllab.text;

import java.util.regex.Pattern;

/** What raw web text needs before tokenising: IMDb reviews carry HTML line breaks and entities. */
public final class TextCleaning {

    private static final Pattern TAG = Pattern.compile("<[^>]{0,40}>");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private TextCleaning() {}

    /**
     * Cleans a text: HTML tags (IMDb's {@code <br />}) become spaces, the common entities are
     * decoded, runs of white space become one space.
     *
     * @param raw the text
     * @return the cleaned text, trimmed
     */
    public static String clean(String raw) {
        String s = TAG.matcher(raw).replaceAll(" ");
        s =
                s.replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&nbsp;", " ")
                        .replace("&amp;", "&");
        return SPACE.matcher(s).replaceAll(" ").trim();
    }
}
