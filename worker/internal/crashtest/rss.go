package crashtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// RunPeakRSS runs cmd and returns its peak resident set in bytes, read as
// VmHWM from /proc while it runs (Linux only; 0 elsewhere). The rusage of
// the finished process is no use: Linux carries the parent's high-water
// mark into a child started with vfork, so it would count the test's own
// fixtures.
func RunPeakRSS(cmd *exec.Cmd) (int64, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var peak int64
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	for {
		if v := vmHWM(status); v > peak {
			peak = v
			if os.Getenv("RSS_TRACE") != "" {
				fmt.Fprintf(os.Stderr, "%v %d MB\n", time.Since(start).Round(time.Millisecond), v>>20)
			}
		}
		select {
		case err := <-done:
			return peak, err
		case <-tick.C:
		}
	}
}

// vmHWM reads the high-water mark of a live process, 0 if it is gone.
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(line), []byte(" kB"))), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}
