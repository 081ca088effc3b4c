package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// syncBuffer is a bytes.Buffer a test may read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or the deadline passes; what names the
// condition in the failure message, and last(), if given, what was seen.
func waitFor(t *testing.T, what string, cond func() bool, last func() string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			seen := ""
			if last != nil {
				seen = "\nlast seen:\n" + last()
			}
			t.Fatalf("timed out waiting for %s%s", what, seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logField returns field of the first JSON log line whose msg is msg.
func logField(log, msg, field string) (string, bool) {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) != nil || line["msg"] != msg {
			continue
		}
		v, ok := line[field].(string)
		return v, ok
	}
	return "", false
}

// syndicatedSites serves the seed story on two separate sites (two servers,
// so two hosts), each listing it in its own feed.
func syndicatedSites(t *testing.T) []string {
	a, b := newSite(t), newSite(t)
	a.add("/comms/feed/", "application/rss+xml; charset=utf-8",
		rss("Communications Today", [2]string{"US efforts on Huawei executive case", "/international-circuit/us-efforts-on-huawei-executive-case/"}))
	a.add("/international-circuit/us-efforts-on-huawei-executive-case/", "text/html; charset=utf-8", readFixture(t, "seed-wordpress.html"))
	b.add("/wire/rss.xml", "application/rss+xml; charset=utf-8",
		rss("Daily Wire Desk", [2]string{"Huawei case may save Canada's China policy", "/world/2020/12/04/huawei-canada-china-policy.html"}))
	b.add("/world/2020/12/04/huawei-canada-china-policy.html", "text/html; charset=utf-8", readFixture(t, "seed-other.html"))
	return []string{a.URL + "/comms/feed/", b.URL + "/wire/rss.xml"}
}

// runningService is `wiresift run -listen 127.0.0.1:0` running in-process.
type runningService struct {
	base   string // http://ADDR of the -listen server
	stderr *syncBuffer
	stop   context.CancelFunc
	exit   chan int
}

func startRun(t *testing.T, w workspace, more ...string) *runningService {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningService{stderr: &syncBuffer{}, stop: cancel, exit: make(chan int, 1)}
	args := w.args("run", append([]string{"-listen", "127.0.0.1:0"}, more...)...)
	go func() {
		r.exit <- Main(ctx, testBuild(t), args, strings.NewReader(""), io.Discard, r.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.exit:
		case <-time.After(30 * time.Second):
			t.Error("run did not stop within 30s of cancellation")
		}
	})
	var addr string
	waitFor(t, "run to log its -listen address", func() bool {
		var ok bool
		addr, ok = logField(r.stderr.String(), "serving metrics, health and status", "addr")
		return ok
	}, r.stderr.String)
	r.base = "http://" + addr
	return r
}

func (r *runningService) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(r.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// sample sums the values of every series of a metric whose labels contain
// all of want (`code="200"`), in Prometheus text format.
func sample(body, name string, want ...string) (float64, bool) {
	var sum float64
	found := false
	for _, line := range strings.Split(body, "\n") {
		series, val, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		metric, labels, _ := strings.Cut(series, "{")
		if metric != name {
			continue
		}
		match := true
		for _, w := range want {
			match = match && strings.Contains(labels, w)
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			continue
		}
		sum += v
		found = true
	}
	return sum, found
}

func TestRunServesMetricsHealthAndStatusPage(t *testing.T) {
	feeds := syndicatedSites(t)
	w := newWorkspace(t, feeds...)
	r := startRun(t, w)

	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"wiresift_feed_polls_total", []string{`outcome="ok"`}, 2},
		{"wiresift_feed_http_responses_total", []string{`code="200"`}, 2},
		{"wiresift_articles_stored_total", nil, 1},
		{"wiresift_duplicates_dropped_total", nil, 1},
		{"wiresift_item_errors_total", nil, 0},
		{"wiresift_page_fetch_duration_seconds_count", nil, 2},
		{"wiresift_feed_poll_duration_seconds_count", nil, 2},
		{"wiresift_feeds", []string{`state="active"`}, 2},
		{"wiresift_feeds", []string{`state="gone"`}, 0},
		{"wiresift_queue_depth", nil, 0},
		{"wiresift_build_info", []string{`version="test"`}, 1},
	}
	// One scrape is not a snapshot (collectors are read one after another,
	// while the poll goes on), so wait until a scrape shows every value;
	// one that never does fails with what it showed.
	var metrics string
	mismatches := func() string {
		var off []string
		for _, tc := range tests {
			if got, ok := sample(metrics, tc.name, tc.labels...); !ok || got != tc.want {
				off = append(off, fmt.Sprintf("%s%v = %v (present: %v), want %v", tc.name, tc.labels, got, ok, tc.want))
			}
		}
		return strings.Join(off, "\n")
	}
	waitFor(t, "both feeds polled, their items ingested and their states saved", func() bool {
		_, metrics = r.get(t, "/metrics")
		return mismatches() == ""
	}, func() string { return mismatches() + "\n" + r.stderr.String() })

	for _, kind := range []string{`kind="feed"`, `kind="page"`} {
		if n, _ := sample(metrics, "wiresift_fetched_bytes_total", kind); n < 1000 {
			t.Errorf("wiresift_fetched_bytes_total{%s} = %v, want at least the 1000 bytes the fixtures have", kind, n)
		}
	}

	if code, body := r.get(t, "/healthz"); code != 200 {
		t.Errorf("GET /healthz = %d %q, want 200 while run is looping", code, body)
	}

	resp, err := http.Get(r.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET / = %d, parse error %v", resp.StatusCode, err)
	}
	listed := htmlTable(doc, "feeds")
	for _, f := range feeds {
		if !anyRowHas(listed, 0, f) {
			t.Errorf("status page feeds table lacks %s: %q", f, listed)
		}
	}
	for _, row := range listed {
		if row[1] != "active" {
			t.Errorf("feed row %q: state %q, want active", row, row[1])
		}
	}
	top := htmlTable(doc, "syndicated")
	if len(top) != 1 || len(top[0]) < 2 || top[0][1] != "2" {
		t.Errorf("most-syndicated table = %q, want the seed story seen on 2 sites", top)
	}
	if latest := htmlTable(doc, "latest"); len(latest) != 1 {
		t.Errorf("latest-articles table = %q, want the one stored article", latest)
	}

	r.stop()
	select {
	case code := <-r.exit:
		if code != 0 {
			t.Errorf("run exited %d after cancellation, want 0\n%s", code, r.stderr.String())
		}
		r.exit <- code // for the cleanup
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop within 30s of cancellation")
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(r.base, "http://"), time.Second); err == nil {
		t.Error("the -listen address still accepts connections after run returned")
	}
}

// htmlTable returns the cell texts of the body rows of the table with this id.
func htmlTable(doc *html.Node, id string) [][]string {
	var rows [][]string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "table" || attrOf(n, "id") != id {
			continue
		}
		for tr := range n.Descendants() {
			if tr.Type != html.ElementNode || tr.Data != "tr" || tr.Parent.Data != "tbody" {
				continue
			}
			var cells []string
			for td := range tr.ChildNodes() {
				if td.Type == html.ElementNode && td.Data == "td" {
					cells = append(cells, nodeText(td))
				}
			}
			rows = append(rows, cells)
		}
	}
	return rows
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	var parts []string
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			parts = append(parts, strings.Fields(d.Data)...)
		}
	}
	return strings.Join(parts, " ")
}

func anyRowHas(rows [][]string, col int, s string) bool {
	for _, r := range rows {
		if len(r) > col && strings.Contains(r[col], s) {
			return true
		}
	}
	return false
}

func TestRunSpeaksSystemdNotify(t *testing.T) {
	dir, err := os.MkdirTemp("", "sd") // short: socket paths are limited to 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)

	var mu sync.Mutex
	var got []string
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			mu.Lock()
			got = append(got, string(buf[:n]))
			mu.Unlock()
		}
	}()
	received := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), got...) }
	has := func(state string) bool {
		for _, s := range received() {
			if s == state {
				return true
			}
		}
		return false
	}

	w := newWorkspace(t, syndicatedSites(t)...)
	r := startRun(t, w)
	waitFor(t, "READY=1 and WATCHDOG=1", func() bool { return has("READY=1") && has("WATCHDOG=1") },
		func() string { return strings.Join(received(), " ") })
	r.stop()
	waitFor(t, "STOPPING=1", func() bool { return has("STOPPING=1") }, func() string { return strings.Join(received(), " ") })
}

func TestWatchdogIsRateLimited(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		beats []time.Duration // offsets from start
		want  int
	}{
		{"first beat notifies", []time.Duration{0}, 1},
		{"a burst notifies once", []time.Duration{0, time.Millisecond, time.Second, 4 * time.Second}, 1},
		{"a beat after the interval notifies again", []time.Duration{0, time.Second, watchdogEvery}, 2},
		{"steady beats notify once an interval", []time.Duration{0, 3 * time.Second, 6 * time.Second, 9 * time.Second, 12 * time.Second}, 3},
	}
	for _, tc := range tests {
		now := start
		sent := 0
		beat := rateLimited(watchdogEvery, func() time.Time { return now }, func() { sent++ })
		for _, d := range tc.beats {
			now = start.Add(d)
			beat()
		}
		if sent != tc.want {
			t.Errorf("%s: %d notifications for beats at %v, want %d", tc.name, sent, tc.beats, tc.want)
		}
	}
}

func TestBackfillDrawsAProgressBar(t *testing.T) {
	w := newWorkspace(t, syndicatedSites(t)...)
	code, out, errOut := cliRun(t, w.args("backfill", "-progress", "bar")...)
	if code != 0 {
		t.Fatalf("backfill -progress bar exited %d\n%s", code, errOut)
	}
	for _, want := range []string{"2/2", "feeds", "1 articles new, 1 duplicates"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("progress bar output lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out, "\r") {
		t.Errorf("the bar leaked into stdout, which carries the summary: %q", out)
	}
}

func TestBackfillProgressLogLine(t *testing.T) {
	tests := []struct {
		name          string
		feeds, total  int
		wantETA       bool
		wantFeedsDone float64
	}{
		{"half done has an ETA", 2, 4, true, 2},
		{"nothing done yet has no ETA", 0, 4, false, 0},
		{"all done has no ETA", 4, 4, false, 4},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		p := &progress{log: slog.New(slog.NewJSONHandler(&buf, nil)), start: time.Now().Add(-time.Minute),
			feedsTotal: tc.total, feeds: tc.feeds, items: 30, stored: 20, dupes: 5}
		p.logLine()
		var line map[string]any
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatalf("%s: log line is not JSON: %v: %s", tc.name, err, buf.String())
		}
		_, hasETA := line["eta"]
		if line["feeds_done"] != tc.wantFeedsDone || line["stored"] != float64(20) || hasETA != tc.wantETA {
			t.Errorf("%s: log line %s, want feeds_done %v, stored 20, eta present %v", tc.name, buf.String(), tc.wantFeedsDone, tc.wantETA)
		}
	}
}

func TestLogLinesEraseTheProgressBar(t *testing.T) {
	var out syncBuffer
	e := &env{opts: &options{progress: "bar"}, stderr: &out}
	shared, ok := e.shareTerminal().(*sharedTerminal)
	if !ok {
		t.Fatalf("shareTerminal with -progress bar = %T, want *sharedTerminal", e.shareTerminal())
	}
	log := slog.New(slog.NewTextHandler(shared, nil))
	log.Info("before the bar")
	bar := newBar(shared.barWriter(), 4)
	bar.Add(1)
	log.Info("feed polled")
	got := out.String()
	if first, _, _ := strings.Cut(got, "\n"); strings.Contains(first, "\x1b[K") {
		t.Errorf("a log line with no bar on screen was preceded by an erase: %q", first)
	}
	i := strings.Index(got, "msg=\"feed polled\"")
	erase := strings.LastIndex(got[:max(i, 0)], "\r\x1b[K")
	bar1 := strings.Index(got, "/4, ") // the bar, as first drawn
	if i < 0 || bar1 < 0 || erase < bar1 {
		t.Errorf("the log line after the bar did not erase the bar's line first: %q", got)
	}

	e.opts.progress = "log"
	if w := e.shareTerminal(); w != io.Writer(&out) {
		t.Errorf("shareTerminal with -progress log = %T, want stderr unchanged", w)
	}

	// backfillLogger puts the log on the shared terminal when a bar is drawn.
	var out2 syncBuffer
	e = &env{opts: &options{progress: "bar", logFormat: "json", logLevel: "info"}, stderr: &out2}
	if _, err := e.backfillLogger(); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.stderr.(*sharedTerminal); !ok {
		t.Errorf("after backfillLogger with -progress bar, stderr is %T, want *sharedTerminal", e.stderr)
	}
}
