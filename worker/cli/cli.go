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

// Exit codes, documented in docs/exit-codes.md.
const (
	exitOK        = 0
	exitFatal     = 1 // the run could not go on: unusable database, bad config file…
	exitUsage     = 2 // bad flags or arguments, a malformed search query
	exitAllFailed = 3 // every feed that was due failed: nothing was polled
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

// exitError makes run exit with code after printing the message.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

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
// process exit code. Help goes to stdout; a usage error is the error and one
// line pointing to -h, on stderr, so that it stays on the screen.
func Main(ctx context.Context, b Build, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		fmt.Fprintf(stderr, "wiresift: no command given\nRun 'wiresift -h' for the commands.\n")
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout, b.Version, cmds)
		return exitOK
	}
	var cmd *command
	for i := range cmds {
		if cmds[i].name == args[0] {
			cmd = &cmds[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "wiresift: %s\nRun 'wiresift -h' for the commands.\n", unknownCommand(args, cmds))
		return exitUsage
	}
	o := &options{}
	fs := flag.NewFlagSet("wiresift "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, shortly
	o.registerGlobal(fs)
	cmd.flags(fs, o)
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "wiresift %s: %s\nRun 'wiresift %s -h' for its flags.\n", cmd.name, msg, cmd.name)
		return exitUsage
	}
	if err := applyEnv(fs); err != nil {
		return usageErr(err.Error())
	}
	positional, err := parseInterspersed(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "usage: %s\n\n%s.\n\nFlags (each also read from WIRESIFT_<NAME>):\n",
			strings.TrimSpace("wiresift "+cmd.name+" [flags] "+cmd.args), cmd.summary)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return exitOK
	}
	if err != nil {
		return usageErr(flagMessage(fs, err))
	}
	if err := o.validate(); err != nil {
		return usageErr(err.Error())
	}
	e := &env{build: b, opts: o, args: positional, stdin: stdin, stdout: stdout, stderr: stderr}
	err = cmd.run(ctx, e)
	var ue usageError
	var xe exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return usageErr(humanize(ue.msg))
	case errors.As(err, &xe):
		fmt.Fprintf(stderr, "wiresift %s: %s\n", cmd.name, humanize(xe.msg))
		return xe.code
	default:
		fmt.Fprintf(stderr, "wiresift %s: %s\n", cmd.name, humanize(err.Error()))
		return exitFatal
	}
}

// unknownCommand explains a first argument that is no command: a flag put
// before the command gets the hint that flags go after it.
func unknownCommand(args []string, cmds []command) string {
	if strings.HasPrefix(args[0], "-") {
		for _, a := range args[1:] {
			for _, c := range cmds {
				if a == c.name {
					return fmt.Sprintf("flags go after the command: wiresift %s %s", c.name, strings.Join(withoutArg(args, a), " "))
				}
			}
		}
		return fmt.Sprintf("%s is a flag; flags go after the command, as in wiresift poll %s", args[0], args[0])
	}
	return fmt.Sprintf("unknown command %q", args[0])
}

func withoutArg(args []string, drop string) []string {
	var out []string
	for _, a := range args {
		if a != drop {
			out = append(out, a)
		}
	}
	return out
}

func printUsage(w io.Writer, version string, cmds []command) {
	fmt.Fprintf(w, "wiresift %s: feeds in, clean deduplicated article text out.\n\nusage: wiresift COMMAND [flags] [args]\n\ncommands:\n", version)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\n`wiresift COMMAND -h` lists a command's flags. Flags go after the command.\nEvery flag can also be set with an environment variable: -min-interval is\nWIRESIFT_MIN_INTERVAL.\n\nExit status: 0 done (some feeds failing is normal), 1 could not go on,\n2 bad flags or arguments, 3 every feed that was due failed.\n")
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
