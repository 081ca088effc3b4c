package htmlparse

// forkedFrom is the version of golang.org/x/net whose tree builder the
// copied files are (see doc.go).
const forkedFrom = "v0.62.0"
