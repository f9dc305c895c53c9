package main

import (
	"io"
	"log/slog"
	"testing"
)

func TestPprofOnLoopbackOnly(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, addr := range []string{":6060", "0.0.0.0:6060", "192.0.2.1:6060", "example.org:6060", "nonsense"} {
		if stop, err := startPprof(addr, logger); err == nil {
			stop()
			t.Errorf("PPROF_ADDR %q accepted", addr)
		}
	}
	stop, err := startPprof("127.0.0.1:0", logger)
	if err != nil {
		t.Fatal(err)
	}
	stop()
}
