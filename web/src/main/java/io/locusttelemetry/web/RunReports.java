package io.locusttelemetry.web;

/**
 * The reports of the current (or last) test, as the command writes them for {@code --csv},
 * {@code --html} and {@code --json}: the web UI offers them as downloads and serves Locust's
 * {@code /stats/requests/csv}, {@code /stats/failures/csv}, {@code /exceptions/csv} and
 * {@code /stats/report} from them, so a download and a file are the same.
 */
public interface RunReports {

    /** {@code _stats.csv}. */
    String requestsCsv();

    /** {@code _failures.csv}. */
    String failuresCsv();

    /** {@code _exceptions.csv}. */
    String exceptionsCsv();

    /** {@code _stats_history.csv}. */
    String historyCsv();

    /** The HTML report of {@code --html}. */
    String htmlReport();

    /** The final statistics of {@code --json}. */
    String json();
}
