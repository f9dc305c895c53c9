package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// medicalID is the id of persona's first medical request.
func (c *client) medicalID(persona string) int64 {
	c.t.Helper()
	p, err := c.a.Service.PersonaLogin(context.Background(), persona)
	if err != nil {
		c.t.Fatal(err)
	}
	list, err := c.a.Medical.MyRequests(context.Background(), p.ID)
	if err != nil || len(list) == 0 {
		c.t.Fatalf("%s: no medical request (%v)", persona, err)
	}
	return list[0].ID
}

// post sends an authenticated, checked POST.
func (c *client) post(token, target, body string, opts ...opt) (*http.Response, string) {
	c.t.Helper()
	return c.do(newRequest(http.MethodPost, target, body, append([]opt{bearer(token)}, opts...)...))
}

// TestMedischeAanvragen: the list and one request agree with the use case the portal shows.
func TestMedischeAanvragen(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("mariam")
	_, body := c.get(tok, "/v2/mijn/medische-aanvragen", http.StatusOK)
	var l api.MedischeAanvragenLijst
	mustJSON(t, body, &l)
	if len(l.MedischeAanvragen) != 1 {
		t.Fatalf("%d requests", len(l.MedischeAanvragen))
	}
	a := l.MedischeAanvragen[0]
	if a.Fase != api.MedischeFaseOnderzoekGepland || a.AanZet != api.MedischeAanvraagAanZetBehandelaar || a.DoorlooptijdInDagen != 105 ||
		a.GemiddeldeDoorlooptijdInWeken != 27 || a.LegesInCenten != 22500 || !a.TermijnLooptDoor || a.InburgeringstermijnEinddatum.String() != "2029-01-29" {
		t.Errorf("request %+v", a)
	}
	_, one := c.get(tok, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d", a.ID), http.StatusOK)
	var b api.MedischeAanvraag
	mustJSON(t, one, &b)
	if b.Kenmerk != "MA-DEMO-0001" || len(b.Stappen) != 7 || !b.Stappen[2].Huidig || b.Stappen[2].Datum == nil {
		t.Errorf("one request %+v", b)
	}
	// Decided with an extension: the decision and the refund; the term no longer "keeps running" here.
	_, body = c.get(c.token("hodan"), "/v2/mijn/medische-aanvragen", http.StatusOK)
	mustJSON(t, body, &l)
	d := l.MedischeAanvragen[0]
	if d.Besluit == nil || d.Besluit.Uitkomst != api.MedischBesluitUitkomstVerlenging || *d.Besluit.Maanden != 6 || !d.LegesTerug || d.TermijnLooptDoor {
		t.Errorf("decided %+v", d)
	}
	// No advice before it is ready: 409; someone else's request: 404 (a choice on it audited).
	res, body := c.get(tok, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/advies", a.ID), http.StatusConflict)
	mustProblem(t, res, body, http.StatusConflict)
	before, _ := c.a.Store.AuditCount(context.Background())
	other := c.medicalID("hamid")
	for _, p := range []string{"", "/advies", "/toestemmingen"} {
		res, body := c.get(tok, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d%s", other, p), http.StatusNotFound, lang("en"))
		if pr := mustProblem(t, res, body, http.StatusNotFound); pr.Detail != "This medical request does not exist." {
			t.Errorf("detail %q", pr.Detail)
		}
	}
	res, body = c.post(tok, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", other), `{"keuze":"toestemming"}`, header("If-Match", `"2-1"`))
	mustProblem(t, res, body, http.StatusNotFound)
	// The three GETs write nothing (a GET never writes: the attempt is logged as an audit event);
	// the POST is written to the audit log.
	if after, _ := c.a.Store.AuditCount(context.Background()); after != before+1 {
		t.Errorf("%d audit entries for 3 foreign reads and 1 foreign choice, want 1", after-before)
	}
	c.get(tok, "/v2/mijn/medische-aanvragen/999999", http.StatusNotFound)
	c.get(tok, "/v2/mijn/medische-aanvragen/0", http.StatusBadRequest)
}

// TestToestemmingen: the consent resource with ETag/If-Match: 428 without, 412 stale, 201 with the
// new ETag, 409 for a choice that is not open; the evidence records the API channel and language.
func TestToestemmingen(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("hamid")
	id := c.medicalID("hamid")
	path := fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", id)

	res, body := c.get(tok, path, http.StatusOK)
	etag := res.Header.Get("ETag")
	var l api.Toestemmingen
	mustJSON(t, body, &l)
	if etag != fmt.Sprintf(`"%d-1"`, id) || l.Status != api.ToestemmingStatusOpen || len(l.KeuzesMogelijk) != 2 || len(l.Toestemmingen) != 0 {
		t.Fatalf("ETag %s, %+v", etag, l)
	}
	_, adv := c.get(tok, fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/advies", id), http.StatusOK)
	var a api.MedischAdvies
	mustJSON(t, adv, &a)
	if !strings.Contains(a.Tekst, "Advies van de medisch adviseur") || a.Taal != api.MedischAdviesTaalNl {
		t.Errorf("advice %+v", a)
	}

	res, body = c.post(tok, path, `{"keuze":"toestemming"}`)
	mustProblem(t, res, body, http.StatusPreconditionRequired)
	res, body = c.post(tok, path, `{"keuze":"toestemming"}`, header("If-Match", fmt.Sprintf(`"%d-7"`, id)))
	mustProblem(t, res, body, http.StatusPreconditionFailed)
	res, body = c.post(tok, path, `{"keuze":"misschien"}`, header("If-Match", etag))
	if p := mustProblem(t, res, body, http.StatusBadRequest); len(p.InvalidParams) == 0 {
		t.Errorf("no invalid params: %s", body)
	}
	res, body = c.post(tok, path, `{"keuze":"intrekken"}`, header("If-Match", etag))
	mustProblem(t, res, body, http.StatusConflict)

	res, body = c.post(tok, path, `{"keuze":"toestemming"}`, header("If-Match", etag), lang("tr"))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("consent: %d %s", res.StatusCode, body)
	}
	newTag := res.Header.Get("ETag")
	var ev api.Toestemming
	mustJSON(t, body, &ev)
	l10n, _ := c.a.Bundle.Lookup("tr")
	if newTag != fmt.Sprintf(`"%d-2"`, id) || ev.Kanaal != api.ToestemmingKanaalAPI || ev.Taal != "tr" || ev.Tekst != l10n.T("medical.consequence.toestemming") ||
		ev.Resultaat != api.ToestemmingStatusGegeven || ev.Tekstversie != domain.ConsentTextVersion {
		t.Errorf("ETag %s, evidence %+v", newTag, ev)
	}
	// A second tab with the old ETag cannot overwrite; consenting twice is a conflict.
	res, body = c.post(tok, path, `{"keuze":"blokkeren"}`, header("If-Match", etag))
	mustProblem(t, res, body, http.StatusPreconditionFailed)
	res, body = c.post(tok, path, `{"keuze":"toestemming"}`, header("If-Match", newTag), lang("en"))
	if p := mustProblem(t, res, body, http.StatusConflict); p.Detail != "You have already given consent." {
		t.Errorf("detail %q", p.Detail)
	}
	// Withdraw with the current ETag ("*" matches it too).
	res, body = c.post(tok, path, `{"keuze":"intrekken"}`, header("If-Match", "*"))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("withdraw: %d %s", res.StatusCode, body)
	}
	res, body = c.get(tok, path, http.StatusOK)
	mustJSON(t, body, &l)
	if l.Status != api.ToestemmingStatusIngetrokken || len(l.Toestemmingen) != 2 || res.Header.Get("ETag") != fmt.Sprintf(`"%d-3"`, id) ||
		len(l.KeuzesMogelijk) != 1 || l.KeuzesMogelijk[0] != api.KeuzeToestemming {
		t.Errorf("after withdrawal: ETag %s, %+v", res.Header.Get("ETag"), l)
	}
	// The portal shows the same state.
	person, _ := c.a.Service.PersonaLogin(context.Background(), "hamid")
	r, err := c.a.Medical.MyRequest(context.Background(), person.ID, id)
	if err != nil || r.Toestemming != domain.ToestemmingIngetrokken {
		t.Errorf("use case: %v %v", r.Toestemming, err)
	}
	// After DUO's decision nothing can be chosen any more.
	h := c.token("hodan")
	hp := fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", c.medicalID("hodan"))
	res, _ = c.get(h, hp, http.StatusOK)
	res, body = c.post(h, hp, `{"keuze":"intrekken"}`, header("If-Match", res.Header.Get("ETag")))
	mustProblem(t, res, body, http.StatusConflict)
	// Before the advice neither.
	m := c.token("mariam")
	mp := fmt.Sprintf("/v2/mijn/medische-aanvragen/%d/toestemmingen", c.medicalID("mariam"))
	res, _ = c.get(m, mp, http.StatusOK)
	res, body = c.post(m, mp, `{"keuze":"toestemming"}`, header("If-Match", res.Header.Get("ETag")))
	mustProblem(t, res, body, http.StatusConflict)
}
