package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
)

const (
	samiraBSN = "760913900"
	yusufBSN  = "930824623"
	dawitBSN  = "230166131"
)

// schoolPost is a POST of a school with an Idempotency-Key.
func schoolPost(token, target, key, body string, opts ...opt) *http.Request {
	return newRequest(http.MethodPost, target, body, append([]opt{bearer(token), header("Idempotency-Key", key)}, opts...)...)
}

func TestSchoolContractsAndDeclarations(t *testing.T) {
	clock := testenv.NewClock(testenv.Now) // 29 Nov 2026
	c := newClient(t, testenv.Options{Clock: clock})
	noord := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
	zuid := c.schoolToken("demo-taalschool-zuid", "", clock.Now()).AccessToken

	// Noord records a contract with Samira for NT2, September 2026 – June 2027.
	res, body := c.do(schoolPost(noord, "/v2/contracten", "c-1", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","startdatum":"2026-09-01","einddatum":"2027-06-30","ingekochteUren":400}`))
	if res.StatusCode != 201 {
		t.Fatalf("contract: %d %s", res.StatusCode, body)
	}
	var k api.Contract
	mustJSON(t, body, &k)

	declare := func(token, key, json string) (*http.Response, string) {
		return c.do(schoolPost(token, "/v2/urenverklaringen", key, json))
	}
	decl := func(bsn, course, from, to string, hours int) string {
		return fmt.Sprintf(`{"bsn":"%s","cursussoort":"%s","periodeVan":"%s","periodeTot":"%s","uren":%d}`, bsn, course, from, to, hours)
	}

	t.Run("a contract backs it: accepted", func(t *testing.T) {
		res, body := declare(noord, "d-1", decl(samiraBSN, "nt2", "2026-10-01", "2026-10-31", 48))
		if res.StatusCode != 201 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		var d api.Urenverklaring
		mustJSON(t, body, &d)
		if d.Status != api.UrenverklaringStatusGeaccepteerd || d.ContractID == nil || *d.ContractID != k.ID || d.TermijnTot != nil {
			t.Errorf("%+v", d)
		}
	})
	t.Run("no covering contract: the school is asked, 14 days", func(t *testing.T) {
		res, body := declare(noord, "d-2", decl(samiraBSN, "alfabetisering", "2026-10-01", "2026-10-31", 20))
		var d api.Urenverklaring
		mustJSON(t, body, &d)
		if res.StatusCode != 201 || d.Status != api.UrenverklaringStatusVerificatieSchool || d.ContractID != nil || d.TermijnTot == nil || d.TermijnTot.String() != "2026-12-13" {
			t.Errorf("%d %+v", res.StatusCode, d)
		}
		if res.Header.Get("ETag") != fmt.Sprintf(`"u%d-verificatie_school"`, d.ID) {
			t.Errorf("ETag %q", res.Header.Get("ETag"))
		}
	})

	bad := []struct {
		name       string
		token, key string
		body       string
		want       []string // name:code of the violations
	}{
		{"eleven-test", noord, "b-1", decl("123456789", "nt2", "2026-10-01", "2026-10-31", 4), []string{"bsn:error.bsn_elfproef"}},
		{"negative hours", noord, "b-2", decl(samiraBSN, "nt2", "2026-10-01", "2026-10-31", -3), []string{"uren:error.hours_negative"}},
		{"more hours than the period holds", noord, "b-3", decl(samiraBSN, "nt2", "2026-11-01", "2026-11-02", 25), []string{"uren:error.hours_period"}},
		{"period in the future", noord, "b-4", decl(samiraBSN, "nt2", "2026-11-01", "2026-11-30", 10), []string{"periodeTot:error.period_future"}},
		{"no relation", noord, "b-5", decl(yusufBSN, "nt2", "2026-10-01", "2026-10-31", 10), []string{"bsn:error.no_relation"}},
		{"someone else's student", zuid, "b-6", decl(samiraBSN, "nt2", "2026-10-01", "2026-10-31", 10), []string{"bsn:error.no_relation"}},
		{"unknown BSN looks like no relation", noord, "b-7", decl("111222333", "nt2", "2026-10-01", "2026-10-31", 10), []string{"bsn:error.no_relation"}},
		{"reversed and negative", noord, "b-8", decl(samiraBSN, "nt2", "2026-10-31", "2026-10-01", -1), []string{"bsn:x"}},
		{"unknown course type", noord, "b-9", decl(samiraBSN, "cobol", "2026-10-01", "2026-10-31", 10), []string{"cursussoort:error.field_format"}},
	}
	bad[7].want = []string{"periodeTot:error.period_order", "uren:error.hours_negative"}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			res, body := declare(tt.token, tt.key, tt.body)
			p := mustProblem(t, res, body, 400)
			if got := strings.Join(p.violations(), ","); got != strings.Join(tt.want, ",") {
				t.Errorf("violations %s, want %v", got, tt.want)
			}
			// The same key and body: the first answer again, nothing stored in between.
			res2, body2 := declare(tt.token, tt.key, tt.body)
			if res2.StatusCode != 400 || body2 != body {
				t.Errorf("retry: %d %s, want the first answer %s", res2.StatusCode, body2, body)
			}
		})
	}

	t.Run("a school sees only its own", func(t *testing.T) {
		_, body := c.get(zuid, "/v2/urenverklaringen", 200)
		var l api.UrenverklaringenLijst
		mustJSON(t, body, &l)
		if len(l.Urenverklaringen) != 0 {
			t.Errorf("zuid sees %d declarations of noord", len(l.Urenverklaringen))
		}
		_, body = c.get(zuid, "/v2/contracten", 200)
		var kl api.ContractenLijst
		mustJSON(t, body, &kl)
		if len(kl.Contracten) != 0 {
			t.Errorf("zuid sees noord's contracts")
		}
		res, body := c.do(newRequest(http.MethodGet, "/v2/urenverklaringen/1", "", bearer(zuid)))
		mustProblem(t, res, body, 404)
	})
	t.Run("wrong scope", func(t *testing.T) {
		onlyContracts := c.schoolToken("demo-taalschool-noord", "contracten:schrijven", clock.Now()).AccessToken
		res, body := declare(onlyContracts, "s-1", decl(samiraBSN, "nt2", "2026-10-01", "2026-10-31", 1))
		if p := mustProblem(t, res, body, 403); problemID(p) != "error.scope_insufficient" {
			t.Errorf("%s", body)
		}
		res, body = c.do(newRequest(http.MethodGet, "/v2/verificatieverzoeken", "", bearer(zuid)))
		if p := mustProblem(t, res, body, 403); problemID(p) != "error.scope_insufficient" {
			t.Errorf("zuid has no verificaties scope: %s", body)
		}
		// An inburgeraar's token is no school's.
		res, body = c.do(newRequest(http.MethodGet, "/v2/contracten", "", bearer(c.token("samira"))))
		mustProblem(t, res, body, 403)
	})
	t.Run("missing Idempotency-Key", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodPost, "/v2/urenverklaringen", decl(samiraBSN, "nt2", "2026-10-01", "2026-10-31", 1), bearer(noord)))
		p := mustProblem(t, res, body, 400)
		if strings.Join(p.violations(), ",") != "Idempotency-Key:error.field_required" {
			t.Errorf("%v", p.violations())
		}
	})
	t.Run("pagination", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			declare(noord, fmt.Sprintf("p-%d", i), decl(samiraBSN, "nt2", "2026-09-01", "2026-09-30", i))
		}
		seen := map[int64]bool{}
		target := "/v2/urenverklaringen?limit=2"
		for pages := 0; target != ""; pages++ {
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			res, body := c.get(noord, target, 200)
			var l api.UrenverklaringenLijst
			mustJSON(t, body, &l)
			for _, d := range l.Urenverklaringen {
				if seen[d.ID] {
					t.Errorf("declaration %d on two pages", d.ID)
				}
				seen[d.ID] = true
			}
			target = ""
			if l.Volgende != nil {
				target = "/v2/urenverklaringen?cursor=" + *l.Volgende + "&limit=2"
				if !strings.Contains(res.Header.Get("Link"), `rel="next"`) {
					t.Error("no Link header")
				}
			}
		}
		if len(seen) != 5 {
			t.Errorf("%d declarations over the pages, want 5", len(seen))
		}
		res, body := c.do(newRequest(http.MethodGet, "/v2/urenverklaringen?cursor=bm9wZQ", "", bearer(noord)))
		mustProblem(t, res, body, 400)
	})
}

func TestIdempotencyKey(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	noord := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
	zuid := c.schoolToken("demo-taalschool-zuid", "", clock.Now()).AccessToken
	contract := func(hours int) string {
		return fmt.Sprintf(`{"bsn":"%s","cursussoort":"nt2","startdatum":"2026-09-01","einddatum":"2027-06-30","ingekochteUren":%d}`, dawitBSN, hours)
	}
	res1, body1 := c.do(schoolPost(noord, "/v2/contracten", "k", contract(100)))
	res2, body2 := c.do(schoolPost(noord, "/v2/contracten", "k", contract(100)))
	if res1.StatusCode != 201 || res2.StatusCode != 201 || body1 != body2 || res2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s / %d %s", res1.StatusCode, body1, res2.StatusCode, body2)
	}
	res, body := c.do(schoolPost(noord, "/v2/contracten", "k", contract(101)))
	if p := mustProblem(t, res, body, 422); problemID(p) != "error.idempotency_key_reused" {
		t.Errorf("%s", body)
	}
	// Keys are per client: zuid's "k" is its own.
	res, body = c.do(schoolPost(zuid, "/v2/contracten", "k", contract(100)))
	if res.StatusCode != 201 || body == body1 {
		t.Errorf("zuid's key k: %d %s", res.StatusCode, body)
	}
	_, body = c.get(noord, "/v2/contracten", 200)
	var l api.ContractenLijst
	mustJSON(t, body, &l)
	if len(l.Contracten) != 1 {
		t.Errorf("%d contracts of noord, want 1 (the replay stored nothing)", len(l.Contracten))
	}

	// Concurrent requests with one key: one runs, every other gets its answer or 409.
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := c.send(schoolPost(noord, "/v2/contracten", "race", contract(200)))
			statuses[i] = res.StatusCode
		}()
	}
	wg.Wait()
	for _, s := range statuses {
		if s != 201 && s != 409 {
			t.Errorf("statuses %v: want 201 or 409 only", statuses)
		}
	}
	_, body = c.get(noord, "/v2/contracten", 200)
	mustJSON(t, body, &l)
	if len(l.Contracten) != 2 {
		t.Errorf("%d contracts after the race, want 2", len(l.Contracten))
	}
}

func TestVerificationAnswers(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	noord := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
	c.do(schoolPost(noord, "/v2/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","startdatum":"2026-09-01","einddatum":"2026-09-30","ingekochteUren":50}`))
	ask := func(key string) api.Urenverklaring {
		res, body := c.do(schoolPost(noord, "/v2/urenverklaringen", key, `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
		var d api.Urenverklaring
		mustJSON(t, body, &d)
		if res.StatusCode != 201 || d.Status != api.UrenverklaringStatusVerificatieSchool {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		return d
	}
	confirm, deny := ask("a"), ask("b")
	_, body := c.get(noord, "/v2/verificatieverzoeken", 200)
	var l api.UrenverklaringenLijst
	mustJSON(t, body, &l)
	if len(l.Urenverklaringen) != 2 {
		t.Fatalf("%d verification requests, want 2", len(l.Urenverklaringen))
	}
	answer := func(d api.Urenverklaring, key, ifMatch string, yes bool) (*http.Response, string) {
		opts := []opt{}
		if ifMatch != "" {
			opts = append(opts, header("If-Match", ifMatch))
		}
		return c.do(schoolPost(noord, fmt.Sprintf("/v2/verificatieverzoeken/%d/antwoord", d.ID), key, fmt.Sprintf(`{"bevestigd":%v}`, yes), opts...))
	}
	res, body := answer(confirm, "x1", "", true)
	mustProblem(t, res, body, 428)
	res, body = answer(confirm, "x2", `"u999-verificatie_school"`, true)
	mustProblem(t, res, body, 412)
	res, _ = c.get(noord, fmt.Sprintf("/v2/urenverklaringen/%d", confirm.ID), 200)
	res, body = answer(confirm, "x3", res.Header.Get("ETag"), true)
	var got api.Urenverklaring
	mustJSON(t, body, &got)
	if res.StatusCode != 201 || got.Status != api.UrenverklaringStatusGeaccepteerd || got.Vervalsing {
		t.Errorf("confirmed: %d %s", res.StatusCode, body)
	}
	res, body = answer(deny, "x4", fmt.Sprintf(`"u%d-verificatie_school"`, deny.ID), false)
	mustJSON(t, body, &got)
	if res.StatusCode != 201 || got.Status != api.UrenverklaringStatusAfgewezen || !got.Vervalsing {
		t.Errorf("denied: %d %s", res.StatusCode, body)
	}
	// Answering again: the declaration no longer waits for the school.
	res, body = answer(deny, "x5", "*", true)
	mustProblem(t, res, body, 409)
	audit, err := c.a.Store.AuditEntries(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, e := range audit {
		if e.Action == "urenverklaring_stap" {
			steps++
			if e.Actor != "school:demo-taalschool-noord" || strings.Contains(e.Subject, samiraBSN) {
				t.Errorf("audit entry %+v", e)
			}
		}
	}
	if steps != 2 {
		t.Errorf("%d audited steps, want 2", steps)
	}
}

func TestSchoolBodyLimit(t *testing.T) {
	c := newClient(t, testenv.Options{})
	noord := c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken
	big := `{"bsn":"` + samiraBSN + `","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30` + strings.Repeat(" ", 17<<10) + `}`
	res, body := c.do(schoolPost(noord, "/v2/urenverklaringen", "big", big))
	mustProblem(t, res, body, http.StatusRequestEntityTooLarge)
}

// TestDeclarationReadsTheStudentOnce: a declaration reads the student, the school's contracts with
// them and its earlier declarations in one statement (issue 12: a round trip fewer per declaration).
func TestDeclarationReadsTheStudentOnce(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	noord := c.schoolToken("demo-taalschool-noord", "", clock.Now()).AccessToken
	res, body := c.do(schoolPost(noord, "/v2/contracten", "c-1", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","startdatum":"2026-09-01","einddatum":"2027-06-30","ingekochteUren":400}`))
	if res.StatusCode != 201 {
		t.Fatalf("contract: %d %s", res.StatusCode, body)
	}
	take := testenv.RecordStatements(t, c.a)
	res, body = c.do(schoolPost(noord, "/v2/urenverklaringen", "d-1", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":48}`))
	if res.StatusCode != 201 {
		t.Fatalf("declaration: %d %s", res.StatusCode, body)
	}
	stmts := take()
	var reads []string
	for _, s := range stmts {
		if strings.Contains(s, "inburgeraars") || strings.Contains(s, "contracten") {
			reads = append(reads, s)
		}
	}
	if len(reads) != 1 {
		t.Errorf("%d statements read the student or the contracts, want 1:\n%s", len(reads), strings.Join(reads, "\n"))
	}
	t.Logf("%d statements:\n%s", len(stmts), strings.Join(stmts, "\n"))
}
