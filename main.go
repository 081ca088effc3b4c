// Command wiresift polls news feeds, fetches each new article, strips page
// boilerplate, folds syndicated copies into one article with every place it
// was seen, and stores clean text in SQLite (default) or PostgreSQL.
//
// main only embeds the schemas and hands over to worker/cli, which parses
// flags and wires the pipeline.
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"
	"syscall"

	"github.com/wiresift/wiresift/worker/cli"
)

//go:embed schema.sql
var sqliteSchema string

//go:embed schema_postgres.sql
var postgresSchema string

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	build := cli.Build{Version: version, SQLiteSchema: sqliteSchema, PostgresSchema: postgresSchema}
	code := cli.Main(ctx, build, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}
