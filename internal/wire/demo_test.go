package wire_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// TestDemoOnPostgresWarnsAtEveryStart: demo mode on PostgreSQL (opted in) logs a warning at every
// start, and without the opt-in does not start; on SQLite it neither warns nor needs one.
func TestDemoOnPostgresWarnsAtEveryStart(t *testing.T) {
	ctx := context.Background()
	first := &testenv.LogBuffer{}
	a := testenv.New(t, testenv.Options{Logs: first, NoSeed: true})
	onPostgres := testenv.Dialect() == "postgres"
	if a.Config.Mode != wire.ModeDemo {
		t.Fatalf("mode %s", a.Config.Mode)
	}
	second := &testenv.LogBuffer{}
	if _, err := wire.Build(ctx, a.Config, a.Store, wire.Options{Logger: slog.New(slog.NewJSONHandler(second, nil))}); err != nil {
		t.Fatal(err)
	}
	for i, logs := range []*testenv.LogBuffer{first, second} {
		warned := false
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, `"level":"WARN"`) && strings.Contains(line, wire.DemoOnPostgresWarning) {
				warned = true
			}
		}
		if warned != onPostgres {
			t.Errorf("start %d: warned %v on %s", i+1, warned, testenv.Dialect())
		}
	}
	cfg := a.Config
	cfg.DemoOnPostgres = false
	_, err := wire.Build(ctx, cfg, a.Store, wire.Options{Logger: slog.New(slog.DiscardHandler)})
	if onPostgres && (err == nil || !strings.Contains(err.Error(), "DEMO_ON_POSTGRES")) {
		t.Errorf("demo mode on PostgreSQL without the opt-in: %v", err)
	}
	if !onPostgres && err != nil {
		t.Errorf("demo mode on SQLite: %v", err)
	}
}
