package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
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
	c.do(schoolPost(tok(), "/v1/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"alfabetisering","startdatum":"2026-01-01","einddatum":"2026-06-30","ingekochteUren":50}`))
	res, body := c.do(schoolPost(tok(), "/v1/urenverklaringen", "d", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
	var d api.Urenverklaring
	mustJSON(t, body, &d)
	if res.StatusCode != 201 || d.Status != api.UrenverklaringStatusVerificatieSchool {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	waitFor := func(want api.UrenverklaringStatus) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, body := c.get(tok(), fmt.Sprintf("/v1/urenverklaringen/%d", d.ID), 200)
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
