package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// TestDeadlinesRunTheChain: a declaration without a contract that nobody answers goes from asking
// the school, through asking the inburgeraar for evidence and the intent to refuse, to refused,
// each step when its deadline has passed and not a day before.
func TestDeadlinesRunTheChain(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	ctx := context.Background()
	noord := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
	c.do(schoolPost(noord, "/v2/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","startdatum":"2026-09-01","einddatum":"2026-09-30","ingekochteUren":50}`))
	_, body := c.do(schoolPost(noord, "/v2/urenverklaringen", "d", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
	var d api.Urenverklaring
	mustJSON(t, body, &d)

	status := func() (api.UrenverklaringStatus, string) {
		tok := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
		_, body := c.get(tok, fmt.Sprintf("/v2/urenverklaringen/%d", d.ID), 200)
		var got api.Urenverklaring
		mustJSON(t, body, &got)
		dl := ""
		if got.TermijnTot != nil {
			dl = got.TermijnTot.String()
		}
		return got.Status, dl
	}
	run := func() {
		ids, err := c.a.Service.DueDeclarations(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := c.a.Service.AdvanceDeadline(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := []struct {
		days     int
		status   api.UrenverklaringStatus
		deadline string
	}{
		{14, api.UrenverklaringStatusVerificatieSchool, "2026-12-13"}, // the last day to answer
		{1, api.UrenverklaringStatusBewijsGevraagd, "2027-01-11"},     // 14 Dec + 28
		{28, api.UrenverklaringStatusBewijsGevraagd, "2027-01-11"},
		{1, api.UrenverklaringStatusVoornemenAfwijzing, "2027-01-26"}, // 12 Jan + 14
		{15, api.UrenverklaringStatusAfgewezen, ""},
	}
	for _, s := range steps {
		clock.Advance(time.Duration(s.days) * 24 * time.Hour)
		run()
		if st, dl := status(); st != s.status || dl != s.deadline {
			t.Fatalf("on %s: %s until %q, want %s until %q", clock.Now().Format("2006-01-02"), st, dl, s.status, s.deadline)
		}
	}
	run() // nothing is due any more
	if st, _ := status(); st != api.UrenverklaringStatusAfgewezen {
		t.Errorf("after the end: %s", st)
	}
}

// TestDeadlineTwoInstances: two instances on one database advance the same due declarations at
// once; each step happens once (one audit entry per step).
// Several instances is a PostgreSQL deployment: SQLite serves one instance (two pools on one file
// refuse a read-then-write transaction with SQLITE_BUSY instead of waiting).
func TestDeadlineTwoInstances(t *testing.T) {
	if testenv.Dialect() != "postgres" {
		t.Skip("several instances run on PostgreSQL (TEST_DATABASE_URL)")
	}
	cfg := testenv.Config(t)
	ctx := context.Background()
	now := testenv.Now
	clock := func() time.Time { return now }
	var apps []*wire.App
	for i := 0; i < 2; i++ {
		st, err := wire.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		a, err := wire.Build(ctx, cfg, st, wire.Options{Now: clock, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	if _, err := apps[0].Seed(ctx); err != nil {
		t.Fatal(err)
	}
	c := wrap(t, apps[0])
	noord := c.schoolToken("demo-taalschool-noord", "", now).AccessToken
	c.do(schoolPost(noord, "/v2/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"alfabetisering","startdatum":"2026-09-01","einddatum":"2026-09-30","ingekochteUren":50}`))
	for i := 0; i < 5; i++ {
		res, body := c.do(schoolPost(noord, "/v2/urenverklaringen", fmt.Sprint("d", i), `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	}
	now = now.Add(15 * 24 * time.Hour)
	var wg sync.WaitGroup
	for _, a := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := a.Service.DueDeclarations(ctx, 100)
			if err != nil {
				t.Error(err)
				return
			}
			for _, id := range ids {
				if err := a.Service.AdvanceDeadline(ctx, id); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	audit, err := apps[0].Store.AuditEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, e := range audit {
		if e.Action == "urenverklaring_stap" {
			steps++
		}
	}
	if steps != 5 {
		t.Errorf("%d steps audited, want 5 (one per declaration)", steps)
	}
	if ids, _ := apps[1].Service.DueDeclarations(ctx, 100); len(ids) != 0 {
		t.Errorf("still due: %v", ids)
	}
}
