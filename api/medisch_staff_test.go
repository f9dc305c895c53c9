package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

const staffBase = "/v2/medewerker/medische-aanvragen"

// auditLog returns the audit entries written since the first n.
func (c *client) auditSince(n int) []app.AuditEntry {
	c.t.Helper()
	log, err := c.a.Store.AuditEntries(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	return log[n:]
}

func (c *client) auditLen() int {
	c.t.Helper()
	log, err := c.a.Store.AuditEntries(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	return len(log)
}

// staffTokenWith stores a staff token holding only scopes, as a demo token would be stored.
func (c *client) staffTokenWith(scopes ...domain.Scope) string {
	c.t.Helper()
	tok := auth.NewID()
	if err := c.a.Store.CreateStaffAPIToken(context.Background(), auth.Hash(tok), "s-limited", scopes, testenv.Now, testenv.Now.Add(time.Hour)); err != nil {
		c.t.Fatal(err)
	}
	return tok
}

// TestStaffMedicalAuth: no token 401; an inburgeraar's, a school's, or a staff token without the
// scope 403; the demo staff token passes.
func TestStaffMedicalAuth(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	id := c.medicalID("hamid")
	ops := []struct{ method, target, body string }{
		{http.MethodGet, staffBase, ""},
		{http.MethodPost, staffBase, `{"bsn":"930824623","soort":"ontheffing","aangevraagdOp":"2026-01-05"}`},
		{http.MethodPost, fmt.Sprintf("%s/%d/inzagen", staffBase, id), ""},
		{http.MethodPost, fmt.Sprintf("%s/%d/advies-inzagen", staffBase, id), ""},
		{http.MethodPost, fmt.Sprintf("%s/%d/fasen", staffBase, id), `{"fase":"betaald","datum":"2026-01-05"}`},
		{http.MethodPost, fmt.Sprintf("%s/%d/advies", staffBase, id), `{"tekst":"x"}`},
		{http.MethodPost, fmt.Sprintf("%s/%d/besluit", staffBase, id), `{"uitkomst":"afgewezen"}`},
	}
	person := c.token("hamid")
	school := c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken
	noScope := c.staffTokenWith(domain.ScopeAppointmentsManage)
	before := c.auditLen()
	for _, op := range ops {
		t.Run(op.method+" "+op.target, func(t *testing.T) {
			res, body := c.do(newRequest(op.method, op.target, op.body))
			mustProblem(t, res, body, http.StatusUnauthorized)
			for name, tok := range map[string]string{"inburgeraar": person, "school": school} {
				res, body := c.do(newRequest(op.method, op.target, op.body, bearer(tok), header("If-Match", "*")))
				if p := mustProblem(t, res, body, http.StatusForbidden); problemID(p) != "error.forbidden" {
					t.Errorf("%s: %+v", name, p)
				}
			}
			res, body = c.do(newRequest(op.method, op.target, op.body, bearer(noScope), header("If-Match", "*")))
			if p := mustProblem(t, res, body, http.StatusForbidden); problemID(p) != "error.scope_insufficient" {
				t.Errorf("staff without scope: %+v", p)
			}
		})
	}
	if got := c.auditSince(before); len(got) != 0 {
		t.Errorf("refused callers wrote %d audit entries: %+v", len(got), got)
	}
	c.get(c.token(app.DemoStaffPersona), staffBase, http.StatusOK)
}

// TestStaffMedicalWorkList: cursor pagination through every request once, with a Link header; a
// GET writes nothing, not even an audit entry; no person and no advice in the list.
func TestStaffMedicalWorkList(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token(app.DemoStaffPersona)
	before := c.auditLen()
	seen := map[int64]bool{}
	target := staffBase + "?limit=3"
	for pages := 0; target != ""; pages++ {
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
		res, body := c.get(tok, target, http.StatusOK)
		if strings.Contains(body, "medisch adviseur (demo)") || strings.Contains(body, "Hamid") {
			t.Fatalf("work list shows an advice or a person: %s", body)
		}
		var page api.MedischeWerkvoorraad
		mustJSON(t, body, &page)
		for _, a := range page.MedischeAanvragen {
			if seen[a.ID] {
				t.Errorf("request %d twice", a.ID)
			}
			seen[a.ID] = true
		}
		target = ""
		if page.Volgende != nil {
			link := res.Header.Get("Link")
			if !strings.Contains(link, "cursor="+*page.Volgende) || !strings.HasSuffix(link, `rel="next"`) {
				t.Errorf("Link %q", link)
			}
			target = staffBase + "?limit=3&cursor=" + *page.Volgende
		} else if res.Header.Get("Link") != "" {
			t.Error("Link on the last page")
		}
	}
	if len(seen) < 4 {
		t.Errorf("%d requests; the four demo personas have one each", len(seen))
	}
	res, body := c.do(newRequest(http.MethodGet, staffBase+"?cursor=bm9wZQ", "", bearer(tok)))
	if p := mustProblem(t, res, body, http.StatusBadRequest); !strings.Contains(strings.Join(p.violations(), " "), "cursor") {
		t.Errorf("bad cursor: %+v", p)
	}
	if got := c.auditSince(before); len(got) != 0 {
		t.Errorf("GET wrote %d audit entries", len(got))
	}
}

// TestStaffMedicalReads: a read is a POST action, audited with the stable staff ID; the advice is
// refused before consent (translated, audited) and given after it.
func TestStaffMedicalReads(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token(app.DemoStaffPersona)
	actor := "medewerker:" + app.DemoStaffID

	hamid := c.medicalID("hamid")
	before := c.auditLen()
	res, body := c.post(tok, fmt.Sprintf("%s/%d/inzagen", staffBase, hamid), "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("inzage: %d %s", res.StatusCode, body)
	}
	var in api.MedischeAanvraagInzage
	mustJSON(t, body, &in)
	if in.Inburgeraar.Naam != "Hamid Rahimi" || in.Aanvraag.Toestemming != api.ToestemmingStatusOpen || in.Aanvraag.Fase != api.MedischeFaseAdviesGereed ||
		res.Header.Get("ETag") != fmt.Sprintf(`"%d-%d"`, hamid, 1) || strings.Contains(body, "medisch adviseur (demo)") {
		t.Errorf("inzage %s (ETag %s)", body, res.Header.Get("ETag"))
	}
	log := c.auditSince(before)
	if len(log) != 1 || log[0].Actor != actor || log[0].Action != app.AuditMedischeAanvraagIngezien || strings.Contains(log[0].Subject, "808197836") {
		t.Errorf("audit %+v", log)
	}

	// The advice before any choice: 403 with a translated problem, and the attempt is on record.
	before = c.auditLen()
	res, body = c.post(tok, fmt.Sprintf("%s/%d/advies-inzagen", staffBase, hamid), "", lang("en"))
	p := mustProblem(t, res, body, http.StatusForbidden)
	if problemID(p) != "error.medical_advice_blocked" || p.Detail == "" || strings.Contains(body, "medisch adviseur (demo)") {
		t.Errorf("refusal %+v", p)
	}
	res, body = c.post(tok, fmt.Sprintf("%s/%d/advies-inzagen", staffBase, c.medicalID("selam")), "", lang("nl"))
	mustProblem(t, res, body, http.StatusForbidden) // blocked
	log = c.auditSince(before)
	if len(log) != 2 || log[0].Action != app.AuditMedischAdviesGeweigerd || log[1].Action != app.AuditMedischAdviesGeweigerd || log[0].Actor != actor {
		t.Errorf("refusals audited as %+v", log)
	}
	// No advice yet: 409 (not audited as a read of an advice that does not exist).
	res, body = c.post(tok, fmt.Sprintf("%s/%d/advies-inzagen", staffBase, c.medicalID("mariam")), "")
	mustProblem(t, res, body, http.StatusConflict)
	// After consent: the advice, audited.
	before = c.auditLen()
	res, body = c.post(tok, fmt.Sprintf("%s/%d/advies-inzagen", staffBase, c.medicalID("hodan")), "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("advice after consent: %d %s", res.StatusCode, body)
	}
	var adv api.MedischAdviesVoorDuo
	mustJSON(t, body, &adv)
	if !strings.Contains(adv.Tekst, "medisch adviseur (demo)") || adv.Toestemming != api.ToestemmingStatusGegeven {
		t.Errorf("advice %+v", adv)
	}
	if log := c.auditSince(before); len(log) != 1 || log[0].Action != app.AuditMedischAdviesIngezien || log[0].Actor != actor {
		t.Errorf("read audited as %+v", log)
	}
	// Unknown request: 404 on both reads.
	for _, p := range []string{"inzagen", "advies-inzagen"} {
		res, body := c.post(tok, fmt.Sprintf("%s/999999/%s", staffBase, p), "")
		mustProblem(t, res, body, http.StatusNotFound)
	}
	// The reads are not GETs: a GET on them is 405.
	if res, _ := c.doUndocumented(newRequest(http.MethodGet, fmt.Sprintf("%s/%d/inzagen", staffBase, hamid), "", bearer(tok))); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET inzagen: %d", res.StatusCode)
	}
}

// TestStaffMedicalJourney: register, record the stages and the advice, the person consents through
// their API, staff decide an extension with If-Match; the term moves at once.
func TestStaffMedicalJourney(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token(app.DemoStaffPersona)
	today := c.a.Service.Today()
	day := func(n int) string { return today.AddDays(n).String() }

	// Bad input changes nothing.
	for name, tc := range map[string]struct {
		body   string
		status int
	}{
		"unknown BSN":     {`{"bsn":"111222333","soort":"ontheffing","aangevraagdOp":"` + day(-1) + `"}`, http.StatusNotFound},
		"BSN not 9 digit": {`{"bsn":"12345","soort":"ontheffing","aangevraagdOp":"` + day(-1) + `"}`, http.StatusBadRequest},
		"BSN elfproef":    {`{"bsn":"123456789","soort":"ontheffing","aangevraagdOp":"` + day(-1) + `"}`, http.StatusBadRequest},
		"unknown kind":    {`{"bsn":"930824623","soort":"iets","aangevraagdOp":"` + day(-1) + `"}`, http.StatusBadRequest},
		"future date":     {`{"bsn":"930824623","soort":"ontheffing","aangevraagdOp":"` + day(3) + `"}`, http.StatusBadRequest},
		"extra member":    {`{"bsn":"930824623","soort":"ontheffing","aangevraagdOp":"` + day(-1) + `","x":1}`, http.StatusBadRequest},
	} {
		t.Run(name, func(t *testing.T) {
			before := c.auditLen()
			res, body := c.post(tok, staffBase, tc.body)
			mustProblem(t, res, body, tc.status)
			if got := c.auditSince(before); len(got) != 0 {
				t.Errorf("audit %+v", got)
			}
		})
	}

	res, body := c.post(tok, staffBase, `{"bsn":"930824623","soort":"verlenging_ziekte","aangevraagdOp":"`+day(-60)+`"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", res.StatusCode, body)
	}
	var a api.MedischeAanvraag
	mustJSON(t, body, &a)
	if a.Fase != api.MedischeFaseAangevraagd || a.LegesInCenten != 22500 || a.AanZet != api.MedischeAanvraagAanZetInburgeraar {
		t.Errorf("registered %+v", a)
	}
	base := fmt.Sprintf("%s/%d", staffBase, a.ID)
	// Stages in order; out of order is 409.
	res, body = c.post(tok, base+"/fasen", `{"fase":"onderzocht","datum":"`+day(-10)+`"}`)
	mustProblem(t, res, body, http.StatusConflict)
	for _, st := range []string{`{"fase":"betaald","datum":"` + day(-50) + `"}`, `{"fase":"onderzoek_gepland","datum":"` + day(-40) + `","wachtOpBehandelaar":true}`} {
		if res, body := c.post(tok, base+"/fasen", st); res.StatusCode != http.StatusCreated {
			t.Fatalf("stage %s: %d %s", st, res.StatusCode, body)
		}
	}
	res, body = c.post(tok, base+"/fasen", `{"fase":"onderzocht","datum":"`+day(-45)+`"}`) // before the previous stage
	mustProblem(t, res, body, http.StatusBadRequest)
	res, body = c.post(tok, base+"/advies", `{"tekst":"Te vroeg."}`) // not examined yet
	mustProblem(t, res, body, http.StatusConflict)
	if res, body := c.post(tok, base+"/fasen", `{"fase":"onderzocht","datum":"`+day(-5)+`"}`); res.StatusCode != http.StatusCreated {
		t.Fatalf("onderzocht: %d %s", res.StatusCode, body)
	}
	res, body = c.post(tok, base+"/advies", `{"tekst":"Advies: verlenging van zes maanden is passend."}`)
	if res.StatusCode != http.StatusCreated || strings.Contains(body, "zes maanden is passend") {
		t.Fatalf("advice: %d %s", res.StatusCode, body)
	}
	staleTag := res.Header.Get("ETag")
	// Before the choice: no advice for staff, and no decision.
	res, body = c.post(tok, base+"/advies-inzagen", "")
	mustProblem(t, res, body, http.StatusForbidden)
	res, body = c.post(tok, base+"/besluit", `{"uitkomst":"verlenging","maanden":6}`, header("If-Match", staleTag))
	mustProblem(t, res, body, http.StatusConflict)

	// The person consents through their own API (If-Match of their consents).
	yusuf := c.token("yusuf")
	tr, _ := c.get(yusuf, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", a.ID), http.StatusOK)
	res, body = c.post(yusuf, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", a.ID), `{"keuze":"toestemming"}`, header("If-Match", tr.Header.Get("ETag")))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("consent: %d %s", res.StatusCode, body)
	}
	// Staff see it on the inzage, with the evidence.
	res, body = c.post(tok, base+"/inzagen", "")
	var in api.MedischeAanvraagInzage
	mustJSON(t, body, &in)
	if in.Aanvraag.Toestemming != api.ToestemmingStatusGegeven || len(in.Toestemmingen) != 1 || in.Toestemmingen[0].Kanaal != api.ToestemmingKanaalAPI {
		t.Errorf("inzage after consent %s", body)
	}
	current := res.Header.Get("ETag")

	// The decision: If-Match is required, a stale one is refused, bad input is 400.
	res, body = c.post(tok, base+"/besluit", `{"uitkomst":"verlenging","maanden":6}`)
	mustProblem(t, res, body, http.StatusPreconditionRequired)
	res, body = c.post(tok, base+"/besluit", `{"uitkomst":"verlenging","maanden":6}`, header("If-Match", staleTag))
	mustProblem(t, res, body, http.StatusPreconditionFailed)
	res, body = c.post(tok, base+"/besluit", `{"uitkomst":"verlenging","maanden":6}`, header("If-Match", `"999999-2"`))
	mustProblem(t, res, body, http.StatusPreconditionFailed)
	for _, bad := range []string{`{"uitkomst":"verlenging"}`, `{"uitkomst":"verlenging","maanden":61}`, `{"uitkomst":"gedeeltelijk","onderdelen":[]}`,
		`{"uitkomst":"aangepaste_voorwaarden"}`, `{"uitkomst":"misschien"}`} {
		res, body := c.post(tok, base+"/besluit", bad, header("If-Match", current))
		mustProblem(t, res, body, http.StatusBadRequest)
	}
	termBefore := c.term(yusuf)
	res, body = c.post(tok, base+"/besluit", `{"uitkomst":"verlenging","maanden":6}`, header("If-Match", current))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("decide: %d %s", res.StatusCode, body)
	}
	mustJSON(t, body, &a)
	if a.Besluit == nil || a.Besluit.Uitkomst != api.MedischBesluitUitkomstVerlenging || *a.Besluit.Maanden != 6 || !a.LegesTerug {
		t.Errorf("decided %+v", a)
	}
	termAfter := c.term(yusuf)
	if termAfter.VerlengingInMaanden != termBefore.VerlengingInMaanden+6 {
		t.Errorf("extension %d → %d months", termBefore.VerlengingInMaanden, termAfter.VerlengingInMaanden)
	}
	// Decided: no second decision, no more choices.
	res, body = c.post(tok, base+"/besluit", `{"uitkomst":"afgewezen"}`, header("If-Match", "*"))
	mustProblem(t, res, body, http.StatusConflict)
	res, body = c.post(yusuf, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", a.ID), `{"keuze":"intrekken"}`, header("If-Match", "*"))
	mustProblem(t, res, body, http.StatusConflict)
}

func (c *client) term(tok string) api.Inburgeringstermijn {
	c.t.Helper()
	_, body := c.get(tok, "/v2/mijn/inburgeringstermijn", http.StatusOK)
	var t api.Inburgeringstermijn
	mustJSON(c.t, body, &t)
	return t
}

// TestStaffMedicalProviderToken: in production a provider access token with the role
// duo-medewerker is a staff principal; its scope claim decides what it may do, and the audit log
// names the token's subject.
func TestStaffMedicalProviderToken(t *testing.T) {
	t.Parallel()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()
	c := newClient(t, testenv.Options{Config: func(w *wire.Config) {
		w.Mode, w.DemoLogin = wire.ModeProduction, false
		w.OIDCIssuer, w.OIDCClientID, w.OIDCClientSecret = cfg.Issuer, cfg.ClientID, cfg.ClientSecret
		w.BaseURL = "https://inburgering.example"
	}})
	sign := func(claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		kid, err := m.Keypair.KeyID()
		if err != nil {
			t.Fatal(err)
		}
		tok.Header["kid"], tok.Header["typ"] = kid, "at+jwt"
		s, err := tok.SignedString(m.Keypair.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	claims := func(roles any, scope string) jwt.MapClaims {
		now := time.Now()
		return jwt.MapClaims{"iss": cfg.Issuer, "aud": cfg.ClientID, "sub": "duo-42", "roles": roles, "scope": scope,
			"iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	}
	full := sign(claims([]string{"other", auth.RoleStaff}, "openid medische-aanvragen:beheren"))
	c.get(full, staffBase, http.StatusOK)
	id := c.medicalID("hamid")
	before := c.auditLen()
	if res, body := c.post(full, fmt.Sprintf("%s/%d/inzagen", staffBase, id), ""); res.StatusCode != http.StatusOK {
		t.Fatalf("inzage: %d %s", res.StatusCode, body)
	}
	if log := c.auditSince(before); len(log) != 1 || log[0].Actor != "medewerker:duo-42" {
		t.Errorf("audit %+v", log)
	}
	res, body := c.do(newRequest(http.MethodGet, staffBase, "", bearer(sign(claims(auth.RoleStaff, "afspraken:beheren")))))
	if p := mustProblem(t, res, body, http.StatusForbidden); problemID(p) != "error.scope_insufficient" {
		t.Errorf("without the scope: %+v", p)
	}
	// A staff token is no inburgeraar's.
	res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(full)))
	mustProblem(t, res, body, http.StatusForbidden)
}
