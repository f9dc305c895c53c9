package wire_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/jobs"
	"github.com/inburgering/portal/internal/testenv"
)

func metricsBody(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	b, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	return string(b)
}

// A deadline enqueued by a use case runs when the service's clock passes it (here the test clock,
// 14 days on), not before; /metrics shows it waiting, then done.
func TestJobRunsWhenTheServiceClockPassesItsTime(t *testing.T) {
	clock := testenv.NewClock(time.Now()) // River's maintenance wants a clock near the real one
	a := testenv.New(t, testenv.Options{Clock: clock, NoSeed: true, JobsOnClock: true})
	ran := make(chan string, 1)
	a.Jobs.Register("test.deadline", jobs.Kind{MaxAttempts: 3}, func(_ context.Context, args json.RawMessage) error {
		ran <- string(args)
		return nil
	})
	ctx := context.Background()
	err := a.Store.InTx(ctx, func(ctx context.Context) error {
		return a.Service.Jobs.Enqueue(ctx, app.Job{Kind: "test.deadline", Args: json.RawMessage(`{"id":7}`),
			RunAt: clock.Now().Add(14 * 24 * time.Hour), UniqueKey: "7"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if body := metricsBody(t, a.Echo); !strings.Contains(body, `inburgering_jobs_queued{kind="test.deadline",state="scheduled"} 1`) {
		t.Errorf("/metrics does not show the scheduled job:\n%s", grepJobs(body))
	}
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = a.Close(ctx)
	})
	select {
	case got := <-ran:
		t.Fatalf("the job ran before it was due: %s", got)
	case <-time.After(300 * time.Millisecond):
	}
	clock.Advance(14*24*time.Hour + time.Minute)
	select {
	case got := <-ran:
		var a struct{ ID int }
		if err := json.Unmarshal([]byte(got), &a); err != nil || a.ID != 7 {
			t.Errorf("args = %s (%v), want id 7", got, err)
		}
	case <-time.After(12 * time.Second):
		t.Fatal("the job did not run after its time passed")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		body := metricsBody(t, a.Echo)
		if strings.Contains(body, `inburgering_jobs_total{kind="test.deadline",outcome="completed"} 1`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics does not count the completed job:\n%s", grepJobs(body))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The session sweep is a periodic job: started, an instance removes expired sessions.
func TestSessionSweepRunsAsAJob(t *testing.T) {
	clock := testenv.NewClock(time.Now()) // River's maintenance wants a clock near the real one
	a := testenv.New(t, testenv.Options{Clock: clock, NoSeed: true})
	ctx := context.Background()
	old := clock.Now().Add(-auth.AbsoluteTimeout - time.Hour)
	id := auth.NewID()
	if err := a.Store.CreateSession(ctx, auth.Hash(id), auth.Session{Kind: auth.KindStaff, Staff: "demo", Role: auth.RoleStaff, CreatedAt: old, LastSeenAt: old}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.Session(ctx, auth.Hash(id)); err != nil {
		t.Fatalf("the session was not stored: %v", err)
	}
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = a.Close(ctx)
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := a.Store.Session(ctx, auth.Hash(id)); err != nil {
			break // swept
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired session was not swept")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func grepJobs(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "inburgering_jobs") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
