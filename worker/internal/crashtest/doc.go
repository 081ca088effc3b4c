// Package crashtest holds helpers for wiresift's crash, fault and
// resource-bound tests: a binary built once per test, a generated news
// corpus served over httptest, export parsing and comparison, and a
// read-only SQLite integrity check. It is imported by tests only.
package crashtest
