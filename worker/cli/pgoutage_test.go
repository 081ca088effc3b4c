package cli

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
	"github.com/wiresift/wiresift/worker/internal/pgtest"
)

// pgProxy stands between the workers and the test's PostgreSQL server, so
// that a test can take the database away (every connection cut, new ones
// refused) without touching the server other tests share.
type pgProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func startPGProxy(t *testing.T, target string) *pgProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *pgProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		s, err := net.DialTimeout("tcp", p.target, 5*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[s] = true, true
		p.mu.Unlock()
		go func() { io.Copy(s, c); s.Close(); c.Close() }()
		go func() { io.Copy(c, s); s.Close(); c.Close() }()
	}
}

// cut drops every connection and refuses new ones until restore.
func (p *pgProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *pgProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// outageWorker is a `wiresift run` process whose stderr can be read while
// it runs.
type outageWorker struct {
	name   string
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
}

func startOutageWorker(t *testing.T, bin, dsn, feeds, name string, more ...string) *outageWorker {
	t.Helper()
	args := append([]string{"run", "-db", dsn, "-feeds", feeds, "-allow-net", "127.0.0.1/32", "-host-gap", "-1ns",
		"-per-host", "64", "-concurrency", "8", "-lease", "3s", "-min-interval", "1s", "-max-interval", "1m",
		"-grace", "15s", "-log-format", "json", "-user-agent", name}, more...)
	cmd, _, _ := crashtest.Command(bin, args...)
	w := &outageWorker{name: name, cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(w.exited) }()
	t.Cleanup(func() {
		select {
		case <-w.exited:
		default:
			cmd.Process.Kill()
			<-w.exited
		}
	})
	return w
}

// TestRunRidesOutAPostgresOutage: three workers share 200 feeds on
// PostgreSQL. While they ingest, their connections are killed with
// pg_terminate_backend, then the database is taken away for some seconds
// (as a restart does). The workers keep running, say once that the
// database is gone and once that it is back, report unhealthy meanwhile,
// and go on; the archive ends with every item once and each syndicated
// story as one article: nothing lost, nothing doubled.
func TestRunRidesOutAPostgresOutage(t *testing.T) {
	direct := pgtest.DSN(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	app := "wiresift_outage_" + strings.TrimPrefix(u.Query().Get("search_path"), "wiresift_test_")
	proxy := startPGProxy(t, u.Host)
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	u.Host = proxy.ln.Addr().String()
	viaProxy := u.String()

	bin := crashtest.Binary(t)
	srv := serveSynd(t, newSyndCorpus(), 20*time.Millisecond, 30*time.Millisecond)
	feeds := writeScaleFeeds(t, srv.feedsFile(3*time.Second))
	var pages atomic.Int32
	srv.onRequest(func(_ string, _ int, page bool) {
		if page {
			pages.Add(1)
		}
	})
	workers := []*outageWorker{
		startOutageWorker(t, bin, viaProxy, feeds, "outage-worker-1", "-listen", "127.0.0.1:0"),
		startOutageWorker(t, bin, viaProxy, feeds, "outage-worker-2"),
		startOutageWorker(t, bin, viaProxy, feeds, "outage-worker-3"),
	}
	var addr string
	waitFor(t, "worker 1 to log its -listen address", func() bool {
		var ok bool
		addr, ok = logField(workers[0].stderr.String(), "serving metrics, health and status", "addr")
		return ok
	}, workers[0].stderr.String)
	healthz := func() int {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	alive := func() {
		t.Helper()
		for _, w := range workers {
			select {
			case <-w.exited:
				t.Fatalf("worker %s exited during the outage\n%s", w.name, tail(w.stderr.String(), 2000))
			default:
			}
		}
	}

	// Mid-ingest of the first cycle: kill every backend of this test's
	// workers (by their application_name, no one else's).
	waitFor(t, "the workers to fetch 60 pages", func() bool { return pages.Load() >= 60 }, nil)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var killed int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = $1 AND pid <> pg_backend_pid()) k`, app).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	t.Logf("pg_terminate_backend: %d backends of %s", killed, app)

	// Then the database goes away for a while, as in a restart.
	waitFor(t, "the workers to fetch 120 pages", func() bool { return pages.Load() >= 120 }, nil)
	proxy.cut()
	cutAt := time.Now()
	waitFor(t, "worker 1 /healthz to fail while the database is away", func() bool { return healthz() == 503 }, nil)
	time.Sleep(6*time.Second - time.Since(cutAt))
	alive()
	proxy.restore()
	restored := time.Now()

	cycles := minFetches(srv.log())
	waitFor(t, "every feed polled twice more after the outage", func() bool {
		alive()
		return minFetches(srv.log()) >= cycles+2
	}, nil)
	waitFor(t, "worker 1 /healthz to pass again", func() bool { return healthz() == 200 }, nil)
	t.Logf("outage %v; healthy again %v after it; %d pages fetched", restored.Sub(cutAt).Round(time.Millisecond),
		time.Since(restored).Round(time.Millisecond), pages.Load())

	for _, w := range workers {
		if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range workers {
		select {
		case <-w.exited:
			if code := w.cmd.ProcessState.ExitCode(); code != 0 {
				t.Errorf("worker %s exited %d after SIGTERM\n%s", w.name, code, tail(w.stderr.String(), 2000))
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("worker %s still running 30s after SIGTERM", w.name)
		}
		log := w.stderr.String()
		for _, msg := range []string{"database unavailable: cannot claim feeds; retrying with backoff", "database reachable again; polling resumes"} {
			if n := strings.Count(log, `"msg":"`+msg+`"`); n < 1 {
				t.Errorf("worker %s: no %q log line", w.name, msg)
			}
		}
	}
	run := scaleRun{bin: bin, dsn: direct}
	if problems := syndicationProblems(run.exportArchive(t), srv); len(problems) > 0 {
		t.Errorf("after the outage: want every item once and each syndicated story one article, got %d problems:\n%s",
			len(problems), strings.Join(problems[:min(len(problems), 20)], "\n"))
	}
}
