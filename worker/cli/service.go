package cli

import (
	"context"
	"log/slog"
	"net"
	"os"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// service is what `run` adds around the pipeline: the -listen endpoints and
// the systemd notify protocol.
type service struct {
	events pipeline.Events
	beat   func()
	close  func()
	notify func(state string)
}

func (s *service) ready()    { s.notify("READY=1") }
func (s *service) stopping() { s.notify("STOPPING=1") }

func (e *env) startService(ctx context.Context, st store.Store, log *slog.Logger) (*service, error) {
	s := &service{events: pipeline.NoEvents{}, close: func() {}, notify: sdNotify}
	s.beat = func() { s.notify("WATCHDOG=1") }
	return s, nil
}

// sdNotify speaks systemd's notify protocol (sd_notify(3)): one datagram to
// $NOTIFY_SOCKET. Without the variable it does nothing, so the same binary
// runs under cron, a terminal or Type=simple.
func sdNotify(state string) {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return
	}
	if addr[0] == '@' {
		addr = "\x00" + addr[1:] // abstract socket namespace
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return
	}
	defer conn.Close()
	conn.Write([]byte(state))
}
