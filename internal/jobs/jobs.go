// Package jobs is the service's background work queue: River (github.com/riverqueue/river) on
// the app's own database, SQLite (riversqlite) or PostgreSQL (riverdatabasesql, poll-only, on the
// store's pool). Jobs live in the database, so they survive a restart, are retried on failure with
// River's backoff, and run exactly once however many app instances work the queue.
//
// Use cases stay River-free: they call app.Jobs.Enqueue with an app.Job (kind + JSON args +
// optional RunAt and UniqueKey). Called inside Transactor.InTx, the job is written in that very
// transaction, so a rolled-back use case leaves no job. A capability registers a handler per kind
// in the wiring, before Start:
//
//	q.Register("verificatie.termijn", jobs.Kind{MaxAttempts: 10}, func(ctx context.Context, args json.RawMessage) error {
//		var a struct{ DeclarationID int64 }
//		if err := json.Unmarshal(args, &a); err != nil {
//			return jobs.Permanent(err) // a malformed job is not retried
//		}
//		return svc.MoveVerificationOn(ctx, a.DeclarationID) // an error retries it later
//	})
//	// in a use case, inside s.tx.InTx(ctx, func(ctx context.Context) error { ... }):
//	err := s.Jobs.Enqueue(ctx, app.Job{Kind: "verificatie.termijn", Args: json.RawMessage(`{"DeclarationID":7}`),
//		RunAt: deadline, UniqueKey: "decl-7"})
//
// Handlers must be idempotent: a job whose instance dies mid-run is run again. Periodic work
// (Every) is enqueued by the elected leader only. Metrics per kind go to Prometheus (Collector).
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/inburgering/portal/internal/app"
)

// Handler runs one job with the JSON args it was enqueued with (the same value; PostgreSQL's
// jsonb may change its spacing and key order). An error retries the job later
// (until the kind's MaxAttempts); wrap it in Permanent to give up at once.
type Handler func(ctx context.Context, args json.RawMessage) error

// Kind configures one kind of job.
type Kind struct {
	// MaxAttempts caps the runs of one job; 0 means River's default (25).
	MaxAttempts int
	// Timeout caps one run; 0 means River's default (1 minute).
	Timeout time.Duration
}

// Permanent marks a handler's error as final: the job is not retried.
func Permanent(err error) error { return river.JobCancel(err) }

// Options configure the queue.
type Options struct {
	// Dialect is "sqlite" or "postgres".
	Dialect string
	// DB is the pool the jobs live in (the store's).
	DB *sql.DB
	// TxOf returns the *sql.Tx a use-case ctx carries, or nil (store.SQLTx).
	TxOf func(ctx context.Context) *sql.Tx
	// Workers is how many jobs this instance runs at once; 0 means 5.
	Workers int
	// PollInterval is how often an idle instance looks for due jobs; 0 means 1 second.
	PollInterval time.Duration
	// RetryPolicy replaces River's exponential backoff (tests use a short fixed delay).
	RetryPolicy river.ClientRetryPolicy
	// Now, when set, is the queue's clock (tests: a job is due when the test clock says so).
	// Unset, due times are compared with the database's clock.
	Now    func() time.Time
	Logger *slog.Logger
}

// Queue is the job queue. Register kinds, then Start; Enqueue works before Start too (the job
// waits for a started instance).
type Queue struct {
	o        Options
	workers  *river.Workers
	kinds    map[string]Kind
	periodic []*river.PeriodicJob

	once    sync.Once
	client  *river.Client[*sql.Tx]
	err     error
	metrics *metrics
}

// New returns a queue on o.DB. It does not migrate; call Migrate.
func New(o Options) (*Queue, error) {
	if o.DB == nil || (o.Dialect != "sqlite" && o.Dialect != "postgres") {
		return nil, fmt.Errorf("jobs: need a database and a dialect (sqlite or postgres), got %q", o.Dialect)
	}
	if o.Workers <= 0 {
		o.Workers = 5
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.TxOf == nil {
		o.TxOf = func(context.Context) *sql.Tx { return nil }
	}
	return &Queue{o: o, workers: river.NewWorkers(), kinds: map[string]Kind{}, metrics: newMetrics()}, nil
}

func (q *Queue) driver() riverdriver.Driver[*sql.Tx] {
	if q.o.Dialect == "sqlite" {
		return riversqlite.New(q.o.DB)
	}
	return riverdatabasesql.New(q.o.DB)
}

// Migrate applies River's own schema migrations (tables river_*), after goose's. Each migration
// runs in its own transaction (PostgreSQL cannot use an enum value added in the same one); on
// PostgreSQL a session advisory lock lets one instance at a time migrate.
func (q *Queue) Migrate(ctx context.Context) error {
	return Migrate(ctx, q.o.Dialect, q.o.DB, q.o.Logger)
}

// Migrate applies River's schema migrations to db (see Queue.Migrate); wire.Open calls it.
func Migrate(ctx context.Context, dialect string, db *sql.DB, logger *slog.Logger) error {
	q, err := New(Options{Dialect: dialect, DB: db, Logger: logger})
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(q.driver(), &rivermigrate.Config{Logger: q.o.Logger})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if dialect == "postgres" {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("job queue migration lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7340127)"); err != nil {
			return fmt.Errorf("job queue migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7340127)") //nolint:errcheck // closing the session frees it too
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// rawArgs carries a job's JSON through River unchanged; Kind is set when enqueuing and
// registering (River reads it from the value passed), not stored.
type rawArgs struct {
	kind      string
	UniqueKey string          `json:"unique_key,omitempty" river:"unique"`
	Args      json.RawMessage `json:"args"`
}

func (a rawArgs) Kind() string { return a.kind }

// worker runs a Handler for River.
type worker struct {
	river.WorkerDefaults[rawArgs]
	h       Handler
	timeout time.Duration
}

func (w *worker) Work(ctx context.Context, job *river.Job[rawArgs]) error {
	return w.h(ctx, job.Args.Args)
}

func (w *worker) Timeout(*river.Job[rawArgs]) time.Duration { return w.timeout }

// Register sets the handler of a kind. Call it before Start and before the first Enqueue.
func (q *Queue) Register(kind string, k Kind, h Handler) {
	if q.client != nil {
		panic("jobs: Register after the queue started")
	}
	if _, dup := q.kinds[kind]; dup {
		panic("jobs: kind registered twice: " + kind)
	}
	q.kinds[kind] = k
	river.AddWorkerArgs(q.workers, rawArgs{kind: kind}, &worker{h: h, timeout: k.Timeout})
}

// Every enqueues a job of a registered kind every interval (by the leader instance only) with
// args; the first run is at start.
func (q *Queue) Every(kind string, interval time.Duration, args json.RawMessage) {
	if q.client != nil {
		panic("jobs: Every after the queue started")
	}
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	q.periodic = append(q.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) {
			return rawArgs{kind: kind, Args: args}, &river.InsertOpts{MaxAttempts: q.kinds[kind].MaxAttempts}
		}, &river.PeriodicJobOpts{ID: kind, RunOnStart: true}))
}

func (q *Queue) river() (*river.Client[*sql.Tx], error) {
	q.once.Do(func() {
		q.client, q.err = river.NewClient(q.driver(), &river.Config{
			Logger:            q.o.Logger,
			Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: q.o.Workers}},
			Workers:           q.workers,
			PeriodicJobs:      q.periodic,
			FetchPollInterval: q.o.PollInterval,
			FetchCooldown:     min(q.o.PollInterval, river.FetchCooldownDefault),
			RetryPolicy:       q.o.RetryPolicy,
			PollOnly:          true,
			Test:              river.TestConfig{Time: clock(q.o.Now)},
		})
	})
	return q.client, q.err
}

// Enqueue implements app.Jobs. With the ctx of a transaction the job is written in it.
func (q *Queue) Enqueue(ctx context.Context, job app.Job) error {
	k, ok := q.kinds[job.Kind]
	if !ok {
		return fmt.Errorf("jobs: no handler registered for kind %q", job.Kind)
	}
	c, err := q.river()
	if err != nil {
		return err
	}
	if len(job.Args) == 0 {
		job.Args = json.RawMessage("{}")
	}
	opts := &river.InsertOpts{MaxAttempts: k.MaxAttempts, ScheduledAt: job.RunAt}
	if job.UniqueKey != "" {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	args := rawArgs{kind: job.Kind, UniqueKey: job.UniqueKey, Args: job.Args}
	if tx := q.o.TxOf(ctx); tx != nil {
		_, err = c.InsertTx(ctx, tx, args, opts)
	} else {
		_, err = c.Insert(ctx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", job.Kind, err)
	}
	return nil
}

// Start begins working jobs on this instance until Stop.
func (q *Queue) Start(ctx context.Context) error {
	c, err := q.river()
	if err != nil {
		return err
	}
	events, cancel := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	go func() {
		defer cancel()
		for ev := range events {
			q.metrics.observe(ev)
		}
	}()
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		cancel()
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop stops fetching new jobs and waits for the running ones to finish, until ctx ends; then it
// cancels them (they run again later on some instance). A queue never started stops at once.
func (q *Queue) Stop(ctx context.Context) error {
	if q.client == nil {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return q.client.StopAndCancel(hard)
	}
	return err
}

// timeGen adapts a clock to River's time generator.
type timeGen func() time.Time

func (f timeGen) Now() time.Time { return f().UTC() }
func (f timeGen) NowOrNil() *time.Time {
	t := f().UTC()
	return &t
}

func clock(now func() time.Time) rivertype.TimeGenerator {
	if now == nil {
		return nil
	}
	return timeGen(now)
}
