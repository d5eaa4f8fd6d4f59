package org.imagepolicy.webhook.report.html;

/**
 * @param title   the page's heading and {@code <title>}
 * @param maxRows how many violations the table lists (totals, charts and top images always count them
 *                all); past it the page says how many were left out. Keeps the page usable in a browser.
 */
public record HtmlOptions(String title, int maxRows) {
    public HtmlOptions {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
    }

    public static HtmlOptions defaults() {
        return new HtmlOptions("Image policy report", 10_000);
    }
}
