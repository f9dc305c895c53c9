// Package testenv builds the whole service for tests on a real database: SQLite in a temporary
// folder by default, PostgreSQL when TEST_DATABASE_URL is set (each test gets its own schema).
// It also carries the HTTP helpers the end-to-end tests share. Nothing here mocks storage.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver, for schema setup

	"github.com/inburgering/portal/internal/wire"
)

// Now is the fixed instant every test runs at unless it says otherwise: 29 Nov 2026, 10:00 UTC.
var Now = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// Clock is a settable clock for tests. It is safe for concurrent use: the job queue's
// goroutines read it while a test advances it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Dialect reports which database the tests run on: "postgres" or "sqlite".
func Dialect() string {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return "postgres"
	}
	return "sqlite"
}

// DatabaseURL returns a fresh, empty database for t: an SQLite file or a new PostgreSQL schema
// (dropped when the test ends).
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Config returns a demo-mode configuration on a fresh database.
func Config(t testing.TB) wire.Config {
	t.Helper()
	cfg := wire.FromEnv(func(string) string { return "" })
	cfg.DatabaseURL = DatabaseURL(t)
	cfg.DataDir = t.TempDir()
	cfg.SessionKey = "test-session-key-0123456789abcdef0123456789"
	cfg.PseudonymKey = "test-pseudonym-key-0123456789abcdef012345"
	cfg.Mode = wire.ModeDemo
	cfg.DemoLogin = true
	// The limiter counts in every test, but only the rate-limit tests (which set their own) reach a limit.
	high := "100000/1m"
	cfg.RateLimits = wire.RateLimits{APIIP: high, APIToken: high, TokensIP: high, LoginIP: high, LookupSession: high, LookupIP: high}
	cfg.DemoOnPostgres = true // on TEST_DATABASE_URL the demo runs on PostgreSQL by intent
	return cfg
}

// Options tune New.
type Options struct {
	Clock  *Clock
	Config func(*wire.Config)
	NoSeed bool
	Logs   io.Writer // where the JSON logs go; discarded when nil
	// StartJobs works the background jobs while the test runs, polling every 20 ms. Without it
	// jobs are only stored (a.Start starts them later; register a test's own kinds before that).
	StartJobs bool
	// JobsOnClock puts the job queue on the test's Clock: a job enqueued for a later time runs
	// once Clock.Advance passes it (within River's scheduler interval of ~5 s). Start such a Clock
	// at time.Now(), not at Now: River's housekeeping misbehaves on a clock far from the real one,
	// and periodic jobs are not reliable on a clock that stands still.
	JobsOnClock bool
	// DemoDeclarations seeds the personas' hour declarations in every state too (issue 10); without
	// it the demo schools start with no contracts or declarations.
	DemoDeclarations bool
}

// New builds the whole service on a fresh database, seeded with the demo personas.
func New(t testing.TB, o Options) *wire.App {
	t.Helper()
	if o.Clock == nil {
		o.Clock = NewClock(Now)
	}
	cfg := Config(t)
	if o.Config != nil {
		o.Config(&cfg)
	}
	ctx := context.Background()
	st, err := wire.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	w := o.Logs
	if w == nil {
		w = io.Discard
	}
	wo := wire.Options{Now: o.Clock.Now, Logger: slog.New(slog.NewJSONHandler(w, nil)), JobsOnClock: o.JobsOnClock}
	if o.StartJobs {
		wo.JobPollInterval = 20 * time.Millisecond
	}
	a, err := wire.Build(ctx, cfg, st, wo)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if o.StartJobs {
		if err := a.Start(ctx); err != nil {
			t.Fatalf("start jobs: %v", err)
		}
		// Registered after the store's Close, so it runs before it.
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := a.Close(ctx); err != nil {
				t.Errorf("stop jobs: %v", err)
			}
		})
	}
	a.DemoDeclarations = o.DemoDeclarations
	if !o.NoSeed {
		if _, err := a.Seed(ctx); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	return a
}

// LogBuffer collects the service's JSON log lines; the server's goroutines and the test share it.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// RecordStatements registers a callback on a's store that keeps every SQL statement it runs;
// take returns those since the last take and starts afresh.
func RecordStatements(t testing.TB, a *wire.App) (take func() []string) {
	t.Helper()
	var (
		mu    sync.Mutex
		stmts []string
	)
	if err := a.Store.OnStatement(func(sql string) {
		mu.Lock()
		stmts = append(stmts, sql)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := stmts
		stmts = nil
		return out
	}
}
