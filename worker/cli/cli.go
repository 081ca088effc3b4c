// Package cli is wiresift's command line: flags and their WIRESIFT_*
// environment variables, the subcommands, and the wiring of the pipeline's
// stages. It holds no pipeline logic of its own.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Build is what main hands in: the schemas it embeds and its version.
type Build struct {
	Version        string
	SQLiteSchema   string
	PostgresSchema string
}

// Exit codes, documented in the README.
const (
	exitOK    = 0
	exitFatal = 1 // the run could not go on: unusable database, bad config file…
	exitUsage = 2 // bad flags or arguments
)

// command is one subcommand: its flags and what it does.
type command struct {
	name    string
	args    string // argument synopsis for usage
	summary string
	flags   func(fs *flag.FlagSet, o *options)
	run     func(ctx context.Context, e *env) error
}

// env is what a running command gets: its options, arguments and streams.
type env struct {
	build  Build
	opts   *options
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// usageError makes run exit 2 with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func commands() []command {
	return []command{
		{"poll", "", "poll every feed that is due, once (for cron)", pollFlags, cmdPoll},
		{"run", "", "run as a service: poll feeds as they come due until SIGINT/SIGTERM", runFlags, cmdRun},
		{"backfill", "", "ingest everything every feed holds now, ignoring the schedule", backfillFlags, cmdBackfill},
		{"reprocess", "", "re-extract and re-deduplicate stored pages with the current -rules, without fetching", reprocessFlags, cmdReprocess},
		{"extract", "[FILE...]", "print the clean text of HTML pages (stdin when no FILE)", extractFlags, cmdExtract},
		{"export", "", "print every stored article as JSON lines", exportFlags, cmdExport},
		{"search", "QUERY", "full-text search of the archive", searchFlags, cmdSearch},
		{"feeds", "[list|add URL [options]|rm URL|enable URL|discover URL]", "show or change the feed list, or find a site's feeds and sitemaps", feedsFlags, cmdFeeds},
		{"opml", "import FILE | export", "bring a feed list from another reader, or give one back", noFlags, cmdOPML},
		{"stats", "", "print archive totals", formatFlags, cmdStats},
		{"dupes", "ID", "show every place article ID was seen", formatFlags, cmdDupes},
		{"migrate-store", "-from FILE.db -to postgres://…", "copy a SQLite archive into PostgreSQL (resumable)", migrateFlags, cmdMigrateStore},
		{"version", "", "print the version", noFlags, cmdVersion},
	}
}

// Main runs wiresift with args (without the program name) and returns the
// process exit code.
func Main(ctx context.Context, b Build, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr, b.Version, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	var cmd *command
	for i := range cmds {
		if cmds[i].name == args[0] {
			cmd = &cmds[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "wiresift: unknown command %q (see wiresift -h)\n", args[0])
		return exitUsage
	}
	o := &options{}
	fs := flag.NewFlagSet("wiresift "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n\n%s.\n\nFlags (each also read from WIRESIFT_<NAME>):\n",
			strings.TrimSpace("wiresift "+cmd.name+" [flags] "+cmd.args), cmd.summary)
		fs.PrintDefaults()
	}
	o.registerGlobal(fs)
	cmd.flags(fs, o)
	if err := applyEnv(fs); err != nil {
		fmt.Fprintf(stderr, "wiresift %s: %v\n", cmd.name, err)
		return exitUsage
	}
	positional, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if err := o.validate(); err != nil {
		fmt.Fprintf(stderr, "wiresift %s: %v\n", cmd.name, err)
		return exitUsage
	}
	e := &env{build: b, opts: o, args: positional, stdin: stdin, stdout: stdout, stderr: stderr}
	err = cmd.run(ctx, e)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "wiresift %s: %s\n", cmd.name, ue.msg)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "wiresift %s: %v\n", cmd.name, err)
		return exitFatal
	}
}

func printUsage(w io.Writer, version string, cmds []command) {
	fmt.Fprintf(w, "wiresift %s: feeds in, clean deduplicated article text out.\n\nusage: wiresift COMMAND [flags] [args]\n\ncommands:\n", version)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\n`wiresift COMMAND -h` lists a command's flags. Every flag can also be set\nwith an environment variable: -min-interval is WIRESIFT_MIN_INTERVAL.\n")
}

// parseInterspersed parses flags wherever they stand among the arguments, as
// the usage lines promise (`wiresift search QUERY -limit 5`); after "--"
// everything is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// applyEnv sets every flag that has a WIRESIFT_* variable in the environment.
// Command-line flags parsed afterwards override them.
func applyEnv(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok || err != nil {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("environment variable %s=%q: %v", name, v, e)
		}
	})
	return err
}

func envName(flagName string) string {
	return "WIRESIFT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
