package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/wiresift/wiresift/worker/store/migrate"
	"github.com/wiresift/wiresift/worker/store/postgres"
)

func migrateFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.from, "from", "", "the SQLite archive to copy (a file path)")
	fs.StringVar(&o.to, "to", "", "the PostgreSQL database to copy it into (postgres://…)")
}

// cmdMigrateStore copies a SQLite archive into PostgreSQL, resumably.
func cmdMigrateStore(ctx context.Context, e *env) error {
	if e.opts.from == "" || !isPostgres(e.opts.to) {
		return usagef("migrate-store needs -from FILE.db and -to postgres://…")
	}
	if _, err := os.Stat(e.opts.from); err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	log, err := e.logger()
	if err != nil {
		return err
	}
	to, err := postgres.Open(ctx, e.opts.to, e.build.PostgresSchema)
	if err != nil {
		return err
	}
	defer to.Close()
	rep, err := migrate.Copy(ctx, e.opts.from, to, migrate.Options{
		Progress: func(table string, copied int64) {
			log.Info("migrate-store progress", "table", table, "copied", copied)
		},
	})
	fmt.Fprintf(e.stdout, "copied %d feeds, %d articles, %d sources, %d dedup keys from %s to %s\n",
		rep.Feeds, rep.Articles, rep.Sources, rep.Keys, e.opts.from, redactDSN(e.opts.to))
	if err != nil {
		return fmt.Errorf("migrate-store (rerun to resume): %w", err)
	}
	return nil
}
