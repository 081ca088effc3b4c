// Package bench measures wiresift on this machine: end-to-end ingest against
// bare html.Parse, a 304 poll pass against a bare HTTP client, near-duplicate
// lookup on small and large archives, and the peak memory of backfill and
// export. The benchmarks live in its _test files; this package holds what
// they share: a loopback site serving feeds and real pages, distinct copies
// of those pages, synthetic archives built straight through SQL, and
// resource-usage snapshots. The README ("Performance") gives the commands.
package bench
