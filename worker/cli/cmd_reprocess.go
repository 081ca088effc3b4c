package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"
)

func reprocessFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.rules, "rules", "", "per-site extraction rules file")
	fs.StringVar(&o.feed, "feed", "", "reprocess only articles seen on this feed URL")
	webhookFlags(fs, o)
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "after the pass, how long webhook events may still be delivered (the rest wait for the next run)")
	learnFurnitureFlag(fs, o)
}

// cmdReprocess re-extracts and re-deduplicates the stored pages with the
// current code and -rules, without fetching, and prints what changed. Each
// article is written in its own transaction: interrupted, it can be rerun.
func cmdReprocess(ctx context.Context, e *env) error {
	log, err := e.logger()
	if err != nil {
		return err
	}
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// With -webhook, a changed text is announced as article.updated.
	hook, err := e.startWebhook(ctx, st, log)
	if err != nil {
		return err
	}
	defer hook.finish()
	p, err := e.pipeline(st, log, nil, nil, nil)
	if err != nil {
		return err
	}
	rep, err := p.Reprocess(ctx, ctx.Done(), e.opts.feed)
	hook.finish()
	fmt.Fprintf(e.stdout, "reprocessed %d pages: %d texts changed, %d articles merged as duplicates, %d split, %d failed\n",
		rep.Pages, rep.Changed, rep.Merged, rep.Split, rep.Failed)
	if errors.Is(err, context.Canceled) {
		return nil // each article is committed or untouched: rerun to finish
	}
	return err
}
