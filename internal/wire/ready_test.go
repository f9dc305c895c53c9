package wire_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// /readyz is 503 until the schema is current, /healthz is 200 all along.
func TestReadyzFollowsMigrations(t *testing.T) {
	ctx := context.Background()
	cfg := testenv.Config(t)
	st, err := store.Open(cfg.DatabaseURL, cfg.DataDir) // not wire.Open: that migrates
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := wire.Build(ctx, cfg, st, wire.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	b := testenv.NewBrowser(t, a.Echo)
	if res := b.Get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz before migrating: %d", res.StatusCode)
	}
	if res := b.Get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz before migrating: %d, want 503", res.StatusCode)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if res := b.Get("/readyz"); res.StatusCode != http.StatusOK {
		t.Errorf("/readyz after migrating: %d, want 200", res.StatusCode)
	}
}
