package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// TestRiverMovesDeadlines: the jobs enqueued with each step (River, on the test clock) move an
// unanswered declaration through the whole chain, with nobody calling the service.
func TestRiverMovesDeadlines(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for River's scheduler")
	}
	clock := testenv.NewClock(time.Now().UTC())
	c := newClient(t, testenv.Options{Clock: clock, StartJobs: true, JobsOnClock: true})
	tok := func() string { return c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken }
	c.do(schoolPost(tok(), "/v2/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"alfabetisering","startdatum":"2026-01-01","einddatum":"2026-06-30","ingekochteUren":50}`))
	res, body := c.do(schoolPost(tok(), "/v2/urenverklaringen", "d", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
	var d api.Urenverklaring
	mustJSON(t, body, &d)
	if res.StatusCode != 201 || d.Status != api.UrenverklaringStatusVerificatieSchool {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	waitFor := func(want api.UrenverklaringStatus) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, body := c.get(tok(), fmt.Sprintf("/v2/urenverklaringen/%d", d.ID), 200)
			var got api.Urenverklaring
			mustJSON(t, body, &got)
			if got.Status == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("still %s, want %s", got.Status, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	day := 24 * time.Hour
	clock.Advance(16 * day) // past the school's 14 days
	waitFor(api.UrenverklaringStatusBewijsGevraagd)
	clock.Advance(30 * day) // past the 28 days for evidence
	waitFor(api.UrenverklaringStatusVoornemenAfwijzing)
	clock.Advance(16 * day) // past the 14 days to respond
	waitFor(api.UrenverklaringStatusAfgewezen)
}

// TestRiverDeadlinesTwoInstances: two instances work the queue of one PostgreSQL database; every
// declaration's step happens once (one audit entry each).
func TestRiverDeadlinesTwoInstances(t *testing.T) {
	if testenv.Dialect() != "postgres" || testing.Short() {
		t.Skip("several instances run on PostgreSQL (TEST_DATABASE_URL)")
	}
	cfg := testenv.Config(t)
	ctx := context.Background()
	clock := testenv.NewClock(time.Now().UTC())
	var apps []*wire.App
	for i := 0; i < 2; i++ {
		st, err := wire.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		a, err := wire.Build(ctx, cfg, st, wire.Options{Now: clock.Now, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), JobsOnClock: true, JobPollInterval: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	if _, err := apps[0].Seed(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = a.Close(ctx)
		})
	}
	c := wrap(t, apps[0])
	tok := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
	c.do(schoolPost(tok, "/v2/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"alfabetisering","startdatum":"2026-01-01","einddatum":"2026-06-30","ingekochteUren":50}`))
	const n = 6
	for i := 0; i < n; i++ {
		c.do(schoolPost(tok, "/v2/urenverklaringen", fmt.Sprint("d", i), `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
	}
	clock.Advance(16 * 24 * time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for {
		audit, err := apps[1].Store.AuditEntries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		steps := 0
		for _, e := range audit {
			if e.Action == "urenverklaring_stap" {
				steps++
			}
		}
		if steps > n {
			t.Fatalf("%d steps audited for %d declarations: a step ran twice", steps, n)
		}
		if steps == n {
			time.Sleep(time.Second) // and no more come
			audit, _ = apps[1].Store.AuditEntries(ctx)
			again := 0
			for _, e := range audit {
				if e.Action == "urenverklaring_stap" {
					again++
				}
			}
			if again != n {
				t.Fatalf("%d steps audited, want %d", again, n)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d declarations moved on", steps, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
