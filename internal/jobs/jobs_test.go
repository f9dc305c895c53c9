package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/jobs"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

// fastRetry retries a failed job after 10 ms instead of River's backoff of seconds.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(10 * time.Millisecond) }

// open returns a migrated store on url and a queue on it.
func open(t *testing.T, url string) (*store.Store, *jobs.Queue) {
	t.Helper()
	st, err := store.Open(url, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(jobs.Options{Dialect: string(st.Dialect()), DB: st.SQLDB(), TxOf: store.SQLTx,
		PollInterval: 20 * time.Millisecond, RetryPolicy: fastRetry{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st, q
}

func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

// recorder is a handler that records the args of each run.
type recorder struct {
	mu   sync.Mutex
	runs []string
	ch   chan string
}

func newRecorder() *recorder { return &recorder{ch: make(chan string, 100)} }

func (r *recorder) handle(_ context.Context, args json.RawMessage) error {
	var a struct{ N string }
	if err := json.Unmarshal(args, &a); err != nil {
		return jobs.Permanent(err)
	}
	r.mu.Lock()
	r.runs = append(r.runs, a.N)
	r.mu.Unlock()
	r.ch <- a.N
	return nil
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.runs...)
}

func args(n string) json.RawMessage { return json.RawMessage(fmt.Sprintf(`{"N":%q}`, n)) }

// wait returns the next run's args, failing after d.
func (r *recorder) wait(t *testing.T, d time.Duration) string {
	t.Helper()
	select {
	case n := <-r.ch:
		return n
	case <-time.After(d):
		t.Fatalf("no job ran within %s (runs so far: %v)", d, r.all())
		return ""
	}
}

// A job enqueued in a committed transaction runs; one in a rolled-back transaction never does.
func TestJobCommitsAndRollsBackWithTheTransaction(t *testing.T) {
	st, q := open(t, testenv.DatabaseURL(t))
	rec := newRecorder()
	q.Register("test.record", jobs.Kind{}, rec.handle)
	ctx := context.Background()
	var jobsPort app.Jobs = q
	errBoom := errors.New("use case fails")
	err := st.InTx(ctx, func(ctx context.Context) error {
		if err := jobsPort.Enqueue(ctx, app.Job{Kind: "test.record", Args: args("rolled-back")}); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("InTx = %v", err)
	}
	err = st.InTx(ctx, func(ctx context.Context) error {
		return jobsPort.Enqueue(ctx, app.Job{Kind: "test.record", Args: args("committed")})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Before the queue starts, exactly the committed job waits in the database.
	if got := queued(t, q, "test.record", "available"); got != 1 {
		t.Fatalf("queued before start = %v, want 1", got)
	}
	start(t, q)
	if got := rec.wait(t, 5*time.Second); got != "committed" {
		t.Fatalf("ran %q, want the committed job", got)
	}
	// Give a wrongly surviving rolled-back job a few poll intervals to show up.
	time.Sleep(200 * time.Millisecond)
	if runs := rec.all(); len(runs) != 1 {
		t.Fatalf("runs = %v, want only the committed job", runs)
	}
	// River reports completions in batches: the counter follows shortly after the run.
	waitFor(t, func() bool { return testutil.ToFloat64(counter(t, q, "test.record", "completed")) == 1 })
}

// A failing job is retried (after the retry policy's delay) until it succeeds; the metrics say so.
func TestFailingJobIsRetriedThenSucceeds(t *testing.T) {
	_, q := open(t, testenv.DatabaseURL(t))
	var mu sync.Mutex
	attempts := 0
	done := make(chan struct{})
	q.Register("test.flaky", jobs.Kind{MaxAttempts: 5}, func(context.Context, json.RawMessage) error {
		mu.Lock()
		defer mu.Unlock()
		attempts++
		if attempts < 3 {
			return errors.New("temporary failure")
		}
		close(done)
		return nil
	})
	if err := q.Enqueue(context.Background(), app.Job{Kind: "test.flaky"}); err != nil {
		t.Fatal(err)
	}
	start(t, q)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("the job did not succeed within 5s (attempts: %d)", attempts)
	}
	waitFor(t, func() bool { return testutil.ToFloat64(counter(t, q, "test.flaky", "completed")) == 1 })
	if got := testutil.ToFloat64(counter(t, q, "test.flaky", "retried")); got != 2 {
		t.Errorf("retried counter = %v, want 2", got)
	}
}

// A job that keeps failing stops after its kind's MaxAttempts and is counted as failed.
func TestAttemptsAreCappedPerKind(t *testing.T) {
	_, q := open(t, testenv.DatabaseURL(t))
	var mu sync.Mutex
	attempts := 0
	q.Register("test.broken", jobs.Kind{MaxAttempts: 2}, func(context.Context, json.RawMessage) error {
		mu.Lock()
		defer mu.Unlock()
		attempts++
		return errors.New("always fails")
	})
	if err := q.Enqueue(context.Background(), app.Job{Kind: "test.broken"}); err != nil {
		t.Fatal(err)
	}
	start(t, q)
	waitFor(t, func() bool { return testutil.ToFloat64(counter(t, q, "test.broken", "failed")) == 1 })
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if attempts != 2 {
		t.Errorf("attempts = %d, want 2 (MaxAttempts)", attempts)
	}
}

// A scheduled job does not run before it is due, and runs once it is.
func TestScheduledJobRunsWhenDue(t *testing.T) {
	_, q := open(t, testenv.DatabaseURL(t))
	rec := newRecorder()
	q.Register("test.record", jobs.Kind{}, rec.handle)
	due := time.Now().Add(700 * time.Millisecond)
	if err := q.Enqueue(context.Background(), app.Job{Kind: "test.record", Args: args("later"), RunAt: due}); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(context.Background(), app.Job{Kind: "test.record", Args: args("now")}); err != nil {
		t.Fatal(err)
	}
	start(t, q)
	if got := rec.wait(t, 5*time.Second); got != "now" {
		t.Fatalf("first run = %q, want the unscheduled job", got)
	}
	// River moves due jobs on every few seconds (its scheduler), so "when due" is due + up to ~5 s.
	if got := rec.wait(t, 10*time.Second); got != "later" {
		t.Fatalf("second run = %q, want the scheduled job", got)
	}
	t.Logf("the scheduled job ran %s after it was due", time.Since(due))
	if ran := time.Now(); ran.Before(due) {
		t.Fatalf("the scheduled job ran at %s, before it was due (%s)", ran, due)
	}
}

// A second job with the same kind and unique key, while the first still waits, is not added.
func TestUniqueKey(t *testing.T) {
	_, q := open(t, testenv.DatabaseURL(t))
	rec := newRecorder()
	q.Register("test.record", jobs.Kind{}, rec.handle)
	ctx := context.Background()
	for _, j := range []app.Job{
		{Kind: "test.record", Args: args("a"), UniqueKey: "decl-7"},
		{Kind: "test.record", Args: args("a"), UniqueKey: "decl-7"},
		{Kind: "test.record", Args: args("b"), UniqueKey: "decl-7"}, // the key decides, not the args
		{Kind: "test.record", Args: args("c"), UniqueKey: "decl-8"},
		{Kind: "test.record", Args: args("d")},
		{Kind: "test.record", Args: args("d")}, // no key: not deduplicated
	} {
		if err := q.Enqueue(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	if got := queued(t, q, "test.record", "available"); got != 4 {
		t.Fatalf("queued = %v, want 4", got)
	}
}

func TestEnqueueOfAnUnknownKindFails(t *testing.T) {
	_, q := open(t, testenv.DatabaseURL(t))
	err := q.Enqueue(context.Background(), app.Job{Kind: "test.nobody"})
	if err == nil || !strings.Contains(err.Error(), "test.nobody") {
		t.Fatalf("Enqueue = %v, want an error naming the kind", err)
	}
}

// Two app instances on one PostgreSQL database run each job exactly once.
func TestTwoInstancesRunEachJobOnce(t *testing.T) {
	if testenv.Dialect() != "postgres" {
		t.Skip("several instances share a database on PostgreSQL (set TEST_DATABASE_URL)")
	}
	url := testenv.DatabaseURL(t)
	_, q1 := open(t, url)
	_, q2 := open(t, url)
	var mu sync.Mutex
	runs := map[string][]int{}
	const n = 40
	all := make(chan struct{}, n*2)
	for i, q := range []*jobs.Queue{q1, q2} {
		q.Register("test.once", jobs.Kind{}, func(_ context.Context, args json.RawMessage) error {
			var a struct{ N string }
			if err := json.Unmarshal(args, &a); err != nil {
				return jobs.Permanent(err)
			}
			time.Sleep(5 * time.Millisecond) // let the other instance fetch meanwhile
			mu.Lock()
			runs[a.N] = append(runs[a.N], i+1)
			mu.Unlock()
			all <- struct{}{}
			return nil
		})
	}
	ctx := context.Background()
	for i := range n {
		q := q1
		if i%2 == 1 {
			q = q2
		}
		if err := q.Enqueue(ctx, app.Job{Kind: "test.once", Args: args(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	start(t, q1)
	start(t, q2)
	for range n {
		select {
		case <-all:
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d jobs ran", len(runs), n)
		}
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	by := map[int]int{}
	for k, r := range runs {
		if len(r) != 1 {
			t.Errorf("job %s ran %d times (instances %v)", k, len(r), r)
		}
		by[r[0]]++
	}
	if len(runs) != n {
		t.Errorf("%d distinct jobs ran, want %d", len(runs), n)
	}
	t.Logf("jobs per instance: %v", by)
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}

// gather returns the queue's metrics as a registry would collect them.
func gather(t *testing.T, q *jobs.Queue) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(q.Collector()); err != nil {
		t.Fatal(err)
	}
	return reg
}

// counter returns the jobs_total series of kind and outcome (0 when absent).
func counter(t *testing.T, q *jobs.Queue, kind, outcome string) prometheus.Collector {
	t.Helper()
	return valueOf(t, q, "inburgering_jobs_total", map[string]string{"kind": kind, "outcome": outcome})
}

func queued(t *testing.T, q *jobs.Queue, kind, state string) float64 {
	t.Helper()
	return testutil.ToFloat64(valueOf(t, q, "inburgering_jobs_queued", map[string]string{"kind": kind, "state": state}))
}

// valueOf finds one series in a gathered registry and returns it as a constant gauge.
func valueOf(t *testing.T, q *jobs.Queue, name string, labels map[string]string) prometheus.Collector {
	t.Helper()
	mfs, err := gather(t, q).Gather()
	if err != nil {
		t.Fatal(err)
	}
	v := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if labels[lp.GetName()] != lp.GetValue() {
					continue series
				}
			}
			if m.Counter != nil {
				v = m.Counter.GetValue()
			} else {
				v = m.Gauge.GetValue()
			}
		}
	}
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "x"}, func() float64 { return v })
}

// Stop lets a running job finish (graceful shutdown) and fetches nothing after.
func TestStopFinishesRunningJobs(t *testing.T) {
	_, q := open(t, testenv.DatabaseURL(t))
	started := make(chan struct{})
	var mu sync.Mutex
	finished := false
	q.Register("test.slow", jobs.Kind{}, func(ctx context.Context, _ json.RawMessage) error {
		close(started)
		select {
		case <-time.After(300 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
		mu.Lock()
		finished = true
		mu.Unlock()
		return nil
	})
	if err := q.Enqueue(context.Background(), app.Job{Kind: "test.slow"}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the job did not start")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !finished {
		t.Error("Stop returned before the running job finished")
	}
}
