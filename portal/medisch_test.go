package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/portal"
)

// requestID returns the id of the first medical request of persona (from its own list page).
func (h *harness) requestID(t testing.TB, persona string) int64 {
	t.Helper()
	person, err := h.app.Service.PersonaLogin(context.Background(), persona)
	if err != nil {
		t.Fatal(err)
	}
	list, err := h.app.Medical.MyRequests(context.Background(), person.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("%s has no medical request (%v)", persona, err)
	}
	return list[0].ID
}

// openCase opens a request as staff do: the case page's GET offers a button, whose POST (with CSRF)
// audits the read and redirects to the case with a view grant. It returns the case page.
func openCase(t testing.TB, staff *testenv.Browser, casePath string) *page {
	t.Helper()
	offer := get(t, staff, casePath)
	wantStatus(t, offer, http.StatusOK)
	form := mustQuery(t, offer.Doc, "main form")
	o := post(t, staff, attrOr(form, "action"), url.Values{"_csrf": {attrOr(mustQuery(t, form, "input[name=_csrf]"), "value")}})
	wantCaseRedirect(t, o, casePath)
	return get(t, staff, o.location())
}

// wantCaseRedirect requires a 303 to the case page with a view grant.
func wantCaseRedirect(t testing.TB, p *page, casePath string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), casePath+"?inzage=") {
		t.Fatalf("%s %s → %d Location %q, want 303 to %s with a view grant", p.Method, p.Path, p.Status, p.location(), casePath)
	}
}

// readAdvice is the staff member's attempt to read the advice: a POST with CSRF.
func readAdvice(t testing.TB, staff *testenv.Browser, lang string, id int64) *page {
	t.Helper()
	return post(t, staff, fmt.Sprintf("/%s/medewerker/medisch/%d/advies/inzien", lang, id), url.Values{"_csrf": {csrf(staff, "/"+lang+"/medewerker/medisch")}})
}

// TestMedicalPagesInEveryLanguage renders every page of the medical journey, for the inburgeraar
// and for staff, in every language and for every state of the seeded requests.
func TestMedicalPagesInEveryLanguage(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	type pg struct {
		who    string
		path   string
		status int
	}
	var pages []pg
	for _, who := range []string{"mariam", "hamid", "selam", "hodan"} {
		id := h.requestID(t, who)
		pages = append(pages, pg{who, "/mijn/medisch", 200}, pg{who, fmt.Sprintf("/mijn/medisch/%d", id), 200},
			pg{who, fmt.Sprintf("/mijn/medisch/%d/toestemmingen", id), 200})
		if who != "mariam" {
			pages = append(pages, pg{who, fmt.Sprintf("/mijn/medisch/%d/advies", id), 200})
		}
		pages = append(pages, pg{"staff", fmt.Sprintf("/medewerker/medisch/%d", id), 200}, // the offer to open it
			pg{"staff-open", fmt.Sprintf("/medewerker/medisch/%d", id), 200}) // the case, opened
	}
	hamid, selam, hodan, mariam := h.requestID(t, "hamid"), h.requestID(t, "selam"), h.requestID(t, "hodan"), h.requestID(t, "mariam")
	pages = append(pages,
		pg{"hamid", fmt.Sprintf("/mijn/medisch/%d/keuze", hamid), 200},
		pg{"hamid", fmt.Sprintf("/mijn/medisch/%d/keuze/controleren?keuze=toestemming", hamid), 200},
		pg{"hamid", fmt.Sprintf("/mijn/medisch/%d/keuze/controleren?keuze=blokkeren", hamid), 200},
		pg{"selam", fmt.Sprintf("/mijn/medisch/%d/keuze", selam), 200},
		pg{"hodan", fmt.Sprintf("/mijn/medisch/%d/keuze", hodan), http.StatusConflict},    // decided
		pg{"mariam", fmt.Sprintf("/mijn/medisch/%d/keuze", mariam), http.StatusConflict},  // no advice yet
		pg{"mariam", fmt.Sprintf("/mijn/medisch/%d/advies", mariam), http.StatusConflict}, // no advice yet
		pg{"mariam", fmt.Sprintf("/mijn/medisch/%d", hamid), http.StatusNotFound},         // someone else's
		pg{"staff", "/medewerker/medisch", 200},
		pg{"staff-advice", fmt.Sprintf("/medewerker/medisch/%d", hamid), http.StatusForbidden}, // before consent
		pg{"staff-advice", fmt.Sprintf("/medewerker/medisch/%d", hodan), 200},                  // consented
	)
	b := map[string]*testenv.Browser{"staff": staff, "staff-open": staff, "staff-advice": staff}
	for _, p := range pages {
		if _, ok := b[p.who]; !ok {
			b[p.who] = h.login("nl", p.who)
		}
	}
	for _, lang := range h.languages() {
		for _, p := range pages {
			t.Run(lang+p.path+"/"+p.who, func(t *testing.T) {
				var got *page
				switch p.who {
				case "staff-open":
					got = openCase(t, staff, "/"+lang+p.path)
				case "staff-advice":
					var id int64
					fmt.Sscanf(p.path, "/medewerker/medisch/%d", &id)
					got = readAdvice(t, staff, lang, id)
				default:
					got = get(t, b[p.who], "/"+lang+p.path)
				}
				wantStatus(t, got, p.status)
				h.checkPage(t, got, lang)
			})
		}
	}
}

// TestMedicalTracker: the tracker shows the stage dates, who must act, the time against the
// average, the running term with its end date and the fee.
func TestMedicalTracker(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "mariam")
	p := get(t, b, fmt.Sprintf("/nl/mijn/medisch/%d", h.requestID(t, "mariam")))
	wantStatus(t, p, http.StatusOK)
	main := p.main(t)
	wantText(t, "tracker", main,
		h.msg("nl", "medical.kind.ontheffing"), "MA-DEMO-0001",
		h.msg("nl", "medical.actor.behandelaar"),
		"16 augustus 2026", "23 augustus 2026", "4 oktober 2026", // requested, paid, examination planned
		"Uw aanvraag loopt 105 dagen.", h.msg("nl", "medical.average", "Weeks", 27),
		"€ 225,00, betaald op 23 augustus 2026", h.msg("nl", "medical.fee_refund"),
		"Uw termijn eindigt op 29 januari 2029.",
	)
	if cur := mustQuery(t, p.Doc, "li.stage-current"); !strings.Contains(text(cur), h.msg("nl", "medical.stage.onderzoek_gepland")) || attrOr(cur, "aria-current") != "step" {
		t.Errorf("current stage %q", text(cur))
	}
	// Decided: the extension and the refund show; the term warning does not.
	d := get(t, h.login("en", "hodan"), fmt.Sprintf("/en/mijn/medisch/%d", h.requestID(t, "hodan")))
	wantText(t, "decided", d.main(t), "Your integration term is extended by 6 months.", "you get the fee of €225.00 back", h.msg("en", "medical.outcome.verlenging"))
	wantNoText(t, "decided", d.main(t), h.msg("en", "medical.term_warning_label"))
	// The overview links to the requests.
	o := get(t, b, "/nl/mijn")
	if a := mustQuery(t, o.Doc, "#card-medical").Parent; !strings.Contains(text(a), h.msg("nl", "medical.overview_link")) {
		t.Errorf("overview card %q", text(a))
	}
}

// TestConsentJourney: read the advice, choose (one question, error summary when nothing is
// chosen), check your answers with the consequence, confirm (303), confirmation; the evidence keeps
// the exact text in the language shown; the choice shows up for staff; staff may then read the advice.
func TestConsentJourney(t *testing.T) {
	h := newHarness(t)
	id := h.requestID(t, "hamid")
	b := h.login("fa", "hamid")
	base := fmt.Sprintf("/fa/mijn/medisch/%d", id)

	advice := get(t, b, base+"/advies")
	wantStatus(t, advice, http.StatusOK)
	wantText(t, "advice", advice.main(t), "Advies van de medisch adviseur (demo)")

	q := get(t, b, base+"/keuze")
	wantStatus(t, q, http.StatusOK)
	token := attrOr(mustQuery(t, q.Doc, "main form input[name=_csrf]"), "value")
	if n := len(queryAll(t, q.Doc, "main input[type=radio]")); n != 2 {
		t.Fatalf("%d choices offered, want 2 (consent, block)", n)
	}

	// Nothing chosen: 400 with an error summary linking to the first radio.
	e := post(t, b, base+"/keuze", url.Values{"_csrf": {token}})
	wantStatus(t, e, http.StatusBadRequest)
	h.checkPage(t, e, "fa")
	link := mustQuery(t, e.Doc, ".error-summary a")
	if attrOr(link, "href") != "#keuze-toestemming" || text(link) != h.msg("fa", "error.consent_choice_required") {
		t.Errorf("error summary link %q %q", attrOr(link, "href"), text(link))
	}
	if !strings.HasPrefix(text(mustQuery(t, e.Doc, "head title")), h.msg("fa", "error.prefix")) {
		t.Errorf("title of an error page must start with the error prefix")
	}

	// A choice that is not offered is refused the same way.
	e = post(t, b, base+"/keuze", url.Values{"_csrf": {token}, "keuze": {"intrekken"}})
	wantStatus(t, e, http.StatusBadRequest)

	p := post(t, b, base+"/keuze", url.Values{"_csrf": {token}, "keuze": {"toestemming"}})
	wantRedirect(t, p, base+"/keuze/controleren?keuze=toestemming")
	check := get(t, b, p.location())
	wantStatus(t, check, http.StatusOK)
	consequence := h.msg("fa", "medical.consequence.toestemming")
	wantText(t, "check", check.main(t), consequence, h.msg("fa", "medical.choice.toestemming"))
	form := mustQuery(t, check.Doc, "main form")
	vals := url.Values{}
	for _, in := range queryAll(t, form, "input") {
		vals.Set(attrOr(in, "name"), attrOr(in, "value"))
	}
	done := post(t, b, attrOr(form, "action"), vals)
	wantRedirect(t, done, base+"/bevestiging")
	conf := get(t, b, done.location())
	wantStatus(t, conf, http.StatusOK)
	h.checkPage(t, conf, "fa")
	wantText(t, "confirmation", conf.main(t), "MA-DEMO-0002-", h.msg("fa", "medical.consent.gegeven"))

	// The evidence: exact text, language, channel.
	person, _ := h.app.Service.PersonaLogin(context.Background(), "hamid")
	_, ev, err := h.app.Medical.History(context.Background(), person.ID, id)
	if err != nil || len(ev) != 1 {
		t.Fatalf("%d evidence rows (%v)", len(ev), err)
	}
	if e := ev[0]; e.Keuze != domain.KeuzeToestemming || e.Resultaat != domain.ToestemmingGegeven || e.Taal != "fa" || e.Tekst != consequence ||
		e.Kanaal != domain.KanaalPortal || e.Tekstversie != domain.ConsentTextVersion {
		t.Errorf("evidence %+v", e)
	}

	// Replaying the confirmed form (same token, old version) is refused and changes nothing.
	again := post(t, b, attrOr(form, "action"), vals)
	wantStatus(t, again, http.StatusPreconditionFailed)
	h.checkPage(t, again, "fa")
	wantText(t, "replay", again.main(t), h.msg("fa", "error.medical_stale"))
	if _, ev, _ := h.app.Medical.History(context.Background(), person.ID, id); len(ev) != 1 {
		t.Errorf("replay added evidence: %d rows", len(ev))
	}

	// History and download.
	hist := get(t, b, base+"/toestemmingen")
	wantStatus(t, hist, http.StatusOK)
	if rows := queryAll(t, hist.Doc, "main tbody tr"); len(rows) != 1 {
		t.Errorf("%d history rows", len(rows))
	}
	dl := get(t, b, base+"/toestemmingen/bewijs")
	wantStatus(t, dl, http.StatusOK)
	if ct := dl.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("download %q %q", ct, dl.Header.Get("Content-Disposition"))
	}
	wantText(t, "download", dl.Body, consequence, "MA-DEMO-0002", domain.ConsentTextVersion)

	// Staff now see the consent and may read the advice; both reads are audited.
	staff := h.login("nl", portal.StaffPersona)
	before := len(h.auditLog(t))
	c := openCase(t, staff, fmt.Sprintf("/nl/medewerker/medisch/%d", id))
	wantText(t, "staff case", c.main(t), h.msg("nl", "medical.staff_consent.gegeven"))
	wantNoText(t, "staff case", c.Body, "Advies van de medisch adviseur (demo)")
	a := readAdvice(t, staff, "nl", id)
	wantStatus(t, a, http.StatusOK)
	wantText(t, "staff advice", a.main(t), "Advies van de medisch adviseur (demo)")
	log := h.auditLog(t)[before:]
	if len(log) != 2 || log[0].Action != app.AuditMedischeAanvraagIngezien || log[1].Action != app.AuditMedischAdviesIngezien || log[1].Actor != "medewerker:"+portal.DemoStaffID {
		t.Errorf("audit %+v", log)
	}

	// Withdraw, then DUO may no longer read the advice.
	check = get(t, b, base+"/keuze/controleren?keuze=intrekken")
	wantStatus(t, check, http.StatusOK)
	form = mustQuery(t, check.Doc, "main form")
	vals = url.Values{}
	for _, in := range queryAll(t, form, "input") {
		vals.Set(attrOr(in, "name"), attrOr(in, "value"))
	}
	wantRedirect(t, post(t, b, attrOr(form, "action"), vals), base+"/bevestiging")
	wantStatus(t, readAdvice(t, staff, "nl", id), http.StatusForbidden)
}

// TestStaffCannotReadAdviceBeforeConsent: through every staff route the advice's content stays
// hidden before consent; every attempt is audited, the refusal too.
func TestStaffCannotReadAdviceBeforeConsent(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	for _, who := range []string{"hamid", "selam"} { // no choice yet; blocked
		id := h.requestID(t, who)
		before := len(h.auditLog(t))
		p := readAdvice(t, staff, "nl", id)
		wantStatus(t, p, http.StatusForbidden)
		wantText(t, who, p.main(t), h.msg("nl", "error.medical_advice_blocked"))
		wantNoText(t, who, p.Body, "Advies van de medisch adviseur")
		// The advice is behind no GET at all; a forged form (no CSRF token) is refused.
		if g := get(t, staff, fmt.Sprintf("/nl/medewerker/medisch/%d/advies", id)); g.Status < 400 || strings.Contains(g.Body, "Advies van de medisch adviseur") {
			t.Errorf("GET advies → %d", g.Status)
		}
		wantStatus(t, post(t, staff, fmt.Sprintf("/nl/medewerker/medisch/%d/advies/inzien", id), url.Values{}), http.StatusForbidden)
		c := openCase(t, staff, fmt.Sprintf("/nl/medewerker/medisch/%d", id))
		wantStatus(t, c, http.StatusOK)
		wantNoText(t, who, c.Body, "Advies van de medisch adviseur")
		wantText(t, who, c.main(t), h.msg("nl", "medical.staff_advice_hidden"))
		// The lookup by BSN shows no advice either.
		home := get(t, staff, "/nl/medewerker/medisch")
		token := attrOr(mustQuery(t, home.Doc, "main form input[name=_csrf]"), "value")
		f := post(t, staff, "/nl/medewerker/medisch/zoeken", url.Values{"_csrf": {token}, "bsn": {personaBSN[who]}})
		wantStatus(t, f, http.StatusOK)
		noBSNInURLs(t, f)
		wantNoText(t, who, f.Body, "Advies van de medisch adviseur", personaBSN[who])
		log := h.auditLog(t)[before:]
		actions := []string{}
		for _, e := range log {
			actions = append(actions, e.Action)
			if e.Actor != "medewerker:"+portal.DemoStaffID || e.Subject == "" || strings.Contains(e.Subject, personaBSN[who]) {
				t.Errorf("audit entry %+v", e)
			}
		}
		want := []string{app.AuditMedischAdviesGeweigerd, app.AuditMedischeAanvraagIngezien, app.AuditMedischeAanvragenIngezien}
		if strings.Join(actions, ",") != strings.Join(want, ",") {
			t.Errorf("%s: audit %v, want %v", who, actions, want)
		}
	}
}

// TestMedicalBadInput: someone else's request is 404 and audited; choosing before the advice or
// after the decision is refused with a translated message; a forged form is 403; nothing changes.
func TestMedicalBadInput(t *testing.T) {
	h := newHarness(t)
	mariam := h.login("en", "mariam")
	hamidID, hodanID, mariamID := h.requestID(t, "hamid"), h.requestID(t, "hodan"), h.requestID(t, "mariam")
	token := csrf(mariam, "/en/mijn")

	before := len(h.auditLog(t))
	// A GET writes nothing (the foreign attempt is logged as an audit event instead).
	for _, path := range []string{"", "/advies", "/keuze", "/toestemmingen", "/toestemmingen/bewijs", "/bevestiging"} {
		p := get(t, mariam, fmt.Sprintf("/en/mijn/medisch/%d%s", hamidID, path))
		wantStatus(t, p, http.StatusNotFound)
		wantText(t, path, p.main(t), h.msg("en", "error.medical_not_found"))
	}
	if log := h.auditLog(t)[before:]; len(log) != 0 {
		t.Fatalf("GETs wrote %d audit entries", len(log))
	}
	// The POSTs are written to the audit log.
	p := post(t, mariam, fmt.Sprintf("/en/mijn/medisch/%d/keuze/bevestigen", hamidID), url.Values{"_csrf": {token}, "keuze": {"toestemming"}, "versie": {"1"}})
	wantStatus(t, p, http.StatusNotFound)
	p = post(t, mariam, fmt.Sprintf("/en/mijn/medisch/%d/keuze", hamidID), url.Values{"_csrf": {token}, "keuze": {"toestemming"}})
	wantStatus(t, p, http.StatusNotFound)
	log := h.auditLog(t)[before:]
	if len(log) != 2 {
		t.Fatalf("%d audit entries for 2 foreign POSTs", len(log))
	}
	for _, e := range log {
		if e.Action != app.AuditMedischeAanvraagVreemd || !strings.HasPrefix(e.Actor, "inburgeraar:p-") || !strings.HasPrefix(e.Subject, "p-") {
			t.Errorf("audit entry %+v", e)
		}
	}
	for _, path := range []string{"/en/mijn/medisch/0", "/en/mijn/medisch/abc", "/en/mijn/medisch/99999"} {
		wantStatus(t, get(t, mariam, path), http.StatusNotFound)
	}

	// Before the advice: refused, translated.
	p = post(t, mariam, fmt.Sprintf("/en/mijn/medisch/%d/keuze/bevestigen", mariamID), url.Values{"_csrf": {token}, "keuze": {"toestemming"}, "versie": {"1"}})
	wantStatus(t, p, http.StatusConflict)
	wantText(t, "before advice", p.main(t), h.msg("en", "error.consent_not_at_advice"))

	// After the decision: refused, translated.
	hodan := h.login("so", "hodan")
	ht := csrf(hodan, "/so/mijn")
	p = post(t, hodan, fmt.Sprintf("/so/mijn/medisch/%d/keuze/bevestigen", hodanID), url.Values{"_csrf": {ht}, "keuze": {"intrekken"}, "versie": {"3"}})
	wantStatus(t, p, http.StatusConflict)
	wantText(t, "after decision", p.main(t), h.msg("so", "error.consent_after_decision"))

	// A forged form (no CSRF token) is refused.
	hamid := h.login("nl", "hamid")
	p = post(t, hamid, fmt.Sprintf("/nl/mijn/medisch/%d/keuze/bevestigen", hamidID), url.Values{"keuze": {"toestemming"}, "versie": {"1"}})
	wantStatus(t, p, http.StatusForbidden)
	// Consenting twice: the second time is refused.
	tok := csrf(hamid, "/nl/mijn")
	wantRedirect(t, post(t, hamid, fmt.Sprintf("/nl/mijn/medisch/%d/keuze/bevestigen", hamidID), url.Values{"_csrf": {tok}, "keuze": {"toestemming"}, "versie": {"1"}}),
		fmt.Sprintf("/nl/mijn/medisch/%d/bevestiging", hamidID))
	p = post(t, hamid, fmt.Sprintf("/nl/mijn/medisch/%d/keuze/bevestigen", hamidID), url.Values{"_csrf": {tok}, "keuze": {"toestemming"}, "versie": {"2"}})
	wantStatus(t, p, http.StatusConflict)
	wantText(t, "twice", p.main(t), h.msg("nl", "error.consent_already_given"))

	// Nothing changed for the others.
	for _, who := range []string{"mariam", "hodan"} {
		person, _ := h.app.Service.PersonaLogin(context.Background(), who)
		_, ev, _ := h.app.Medical.History(context.Background(), person.ID, h.requestID(t, who))
		if want := map[string]int{"mariam": 0, "hodan": 1}[who]; len(ev) != want {
			t.Errorf("%s: %d evidence rows, want %d", who, len(ev), want)
		}
	}
}

// TestStaffMedicalFlow: staff register a request, record its stages and the advice, and decide;
// an extension moves the term on the overview at once, an exemption ends the obligation.
func TestStaffMedicalFlow(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	home := get(t, staff, "/nl/medewerker/medisch")
	wantStatus(t, home, http.StatusOK)
	token := attrOr(mustQuery(t, home.Doc, "main form input[name=_csrf]"), "value")

	// Bad input: every field refused with an inline error, nothing registered.
	bad := post(t, staff, "/nl/medewerker/medisch/registreren", url.Values{"_csrf": {token}, "bsn": {"930824623"}, "soort": {"ontheffing"},
		"aangevraagd-dag": {"31"}, "aangevraagd-maand": {"2"}, "aangevraagd-jaar": {"2026"}})
	wantStatus(t, bad, http.StatusBadRequest)
	h.checkPage(t, bad, "nl")
	if a := mustQuery(t, bad.Doc, ".error-summary a"); attrOr(a, "href") != "#aangevraagd-dag" {
		t.Errorf("error link %q", attrOr(a, "href"))
	}
	bad = post(t, staff, "/nl/medewerker/medisch/registreren", url.Values{"_csrf": {token}, "bsn": {"930824623"}, "soort": {"iets"},
		"aangevraagd-dag": {"1"}, "aangevraagd-maand": {"2"}, "aangevraagd-jaar": {"2026"}})
	wantStatus(t, bad, http.StatusBadRequest)
	bad = post(t, staff, "/nl/medewerker/medisch/registreren", url.Values{"_csrf": {token}, "bsn": {"930824623"}, "soort": {"ontheffing"},
		"aangevraagd-dag": {"1"}, "aangevraagd-maand": {"2"}, "aangevraagd-jaar": {"2027"}})
	wantStatus(t, bad, http.StatusBadRequest)
	wantText(t, "future", bad.main(t), h.msg("nl", "error.medical_date_future"))

	yusuf, _ := h.app.Service.PersonaLogin(context.Background(), "yusuf")
	if list, _ := h.app.Medical.MyRequests(context.Background(), yusuf.ID); len(list) != 0 {
		t.Fatalf("bad input registered a request")
	}
	ok := post(t, staff, "/nl/medewerker/medisch/registreren", url.Values{"_csrf": {token}, "bsn": {"930824623"}, "soort": {"verlenging_ziekte"},
		"aangevraagd-dag": {"2"}, "aangevraagd-maand": {"3"}, "aangevraagd-jaar": {"2026"}})
	if ok.Status != http.StatusSeeOther {
		t.Fatalf("register → %d\n%s", ok.Status, ok.Body)
	}
	casePath, _, _ := strings.Cut(ok.location(), "?")
	wantCaseRedirect(t, ok, casePath)
	noBSNInURLs(t, ok)
	stage := func(fase, d, m, y string, extra url.Values) *page {
		f := url.Values{"_csrf": {token}, "fase": {fase}, "fase-dag": {d}, "fase-maand": {m}, "fase-jaar": {y}}
		for k, v := range extra {
			f[k] = v
		}
		return post(t, staff, casePath+"/fase", f)
	}
	// Out of order, and before the previous stage: refused.
	wantStatus(t, stage("onderzocht", "1", "4", "2026", nil), http.StatusConflict)
	wantStatus(t, stage("betaald", "1", "2", "2026", nil), http.StatusBadRequest)
	wantCaseRedirect(t, stage("betaald", "9", "3", "2026", nil), casePath)
	g := stage("onderzoek_gepland", "1", "5", "2026", url.Values{"behandelaar": {"ja"}})
	wantCaseRedirect(t, g, casePath)
	c := get(t, staff, g.location()) // the view grant shows the case after the change
	wantText(t, "waiting", c.main(t), h.msg("nl", "medical.staff_actor.behandelaar"))
	wantCaseRedirect(t, stage("onderzocht", "1", "7", "2026", nil), casePath)
	e := post(t, staff, casePath+"/advies", url.Values{"_csrf": {token}, "advies": {"  "}})
	wantStatus(t, e, http.StatusBadRequest)
	wantCaseRedirect(t, post(t, staff, casePath+"/advies", url.Values{"_csrf": {token}, "advies": {"Geheim advies voor Yusuf."}}), casePath)

	// Yusuf got a message; staff cannot decide before his choice, nor read the advice.
	c = openCase(t, staff, casePath)
	versie := attrOr(mustQuery(t, c.Doc, "main form input[name=versie]"), "value")
	wantNoText(t, "case", c.Body, "Geheim advies")
	d := post(t, staff, casePath+"/besluit", url.Values{"_csrf": {token}, "versie": {versie}, "uitkomst": {"verlenging"}, "maanden": {"6"}})
	wantStatus(t, d, http.StatusConflict)
	wantText(t, "awaiting", d.main(t), h.msg("nl", "error.medical_awaiting_choice"))

	// Yusuf consents through the portal.
	y := h.login("tr", "yusuf")
	id := strings.TrimPrefix(casePath, "/nl/medewerker/medisch/")
	check := get(t, y, "/tr/mijn/medisch/"+id+"/keuze/controleren?keuze=toestemming")
	wantStatus(t, check, http.StatusOK)
	form := mustQuery(t, check.Doc, "main form")
	vals := url.Values{}
	for _, in := range queryAll(t, form, "input") {
		vals.Set(attrOr(in, "name"), attrOr(in, "value"))
	}
	wantRedirect(t, post(t, y, attrOr(form, "action"), vals), "/tr/mijn/medisch/"+id+"/bevestiging")

	// The staff form still carries the old version: refused as stale. Reload, then decide.
	wantStatus(t, post(t, staff, casePath+"/besluit", url.Values{"_csrf": {token}, "versie": {versie}, "uitkomst": {"verlenging"}, "maanden": {"6"}}), http.StatusPreconditionFailed)
	c = openCase(t, staff, casePath)
	versie = attrOr(mustQuery(t, c.Doc, "main form input[name=versie]"), "value")
	wantStatus(t, post(t, staff, casePath+"/besluit", url.Values{"_csrf": {token}, "versie": {versie}, "uitkomst": {"verlenging"}, "maanden": {"0"}}), http.StatusBadRequest)
	wantStatus(t, post(t, staff, casePath+"/besluit", url.Values{"_csrf": {token}, "versie": {versie}}), http.StatusBadRequest)

	termBefore, _ := h.app.Service.Overview(context.Background(), yusuf.ID)
	wantCaseRedirect(t, post(t, staff, casePath+"/besluit", url.Values{"_csrf": {token}, "versie": {versie}, "uitkomst": {"verlenging"}, "maanden": {"6"}}), casePath)
	termAfter, _ := h.app.Service.Overview(context.Background(), yusuf.ID)
	if termAfter.Term.ExtensionMonths != termBefore.Term.ExtensionMonths+6 || *termAfter.Term.End != termBefore.Term.End.AddDays(1).AddMonths(6).AddDays(-1) { // periods end the day before the same date
		t.Errorf("term end %v → %v, want 6 months later", termBefore.Term.End, termAfter.Term.End)
	}
	// The overview shows it at once.
	o := get(t, y, "/tr/mijn/termijn")
	wantText(t, "term", o.main(t), h.msg("tr", "term.months", "Count", termAfter.Term.ExtensionMonths))
}

// TestStaffDecisionExemption: a granted exemption ends the obligation on the overview; a partial
// exemption marks the PIP's parts.
func TestStaffDecisionExemption(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	m := h.app.Medical
	for _, tc := range []struct {
		who     string
		besluit domain.MedischBesluit
	}{
		{"hodan", domain.MedischBesluit{}}, // already decided: refused
		{"selam", domain.MedischBesluit{Uitkomst: domain.UitkomstToegekend}},
		{"hamid", domain.MedischBesluit{Uitkomst: domain.UitkomstGedeeltelijk, Onderdelen: []domain.ComponentKind{domain.ComponentSpreken, domain.ComponentSchrijven}}},
	} {
		id := h.requestID(t, tc.who)
		person, _ := h.app.Service.PersonaLogin(ctx, tc.who)
		_, r, err := m.StaffView(ctx, "s1", id)
		if err != nil {
			t.Fatal(err)
		}
		if tc.who == "hodan" {
			if _, err := m.StaffDecide(ctx, "s1", id, int64(r.Versie), domain.MedischBesluit{Uitkomst: domain.UitkomstAfgewezen}); domain.ErrorKind(err) != domain.KindConflict {
				t.Errorf("deciding twice: %v", err)
			}
			continue
		}
		if tc.who == "hamid" { // no choice yet: the deadline must pass first
			h.clock.Advance(15 * 24 * time.Hour)
		}
		if _, err := m.StaffDecide(ctx, "s1", id, int64(r.Versie), tc.besluit); err != nil {
			t.Fatalf("%s: %v", tc.who, err)
		}
		o, _ := h.app.Service.Overview(ctx, person.ID)
		switch tc.who {
		case "selam":
			if o.Term.State != domain.TermExempted {
				t.Errorf("selam: term state %s, want ontheffing", o.Term.State)
			}
		case "hamid":
			got := map[domain.ComponentKind]domain.ComponentStatus{}
			for _, c := range o.PIP.Components {
				got[c.Kind] = c.Status
			}
			if got[domain.ComponentSpreken] != domain.StatusOntheffing || got[domain.ComponentSchrijven] != domain.StatusOntheffing || got[domain.ComponentLezen] != domain.StatusOpen {
				t.Errorf("hamid: PIP parts %v", got)
			}
		}
	}
}

// TestStaffMedicalGetNeverWrites: a GET of a staff case page writes nothing; without a valid view
// grant (none, forged, for another request, from another session, expired) it shows only the offer
// to open the request, never the case.
func TestStaffMedicalGetNeverWrites(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	hamid, selam := h.requestID(t, "hamid"), h.requestID(t, "selam")
	casePath := fmt.Sprintf("/nl/medewerker/medisch/%d", hamid)
	before := len(h.auditLog(t))
	offer := get(t, staff, casePath)
	wantStatus(t, offer, http.StatusOK)
	wantNoText(t, "offer", offer.Body, "Hamid", "MA-DEMO-0002")
	wantText(t, "offer", offer.main(t), h.msg("nl", "medical.staff_open"))
	if log := h.auditLog(t)[before:]; len(log) != 0 {
		t.Fatalf("GET wrote %+v", log)
	}
	// A forged form (no CSRF) opens nothing and writes nothing.
	wantStatus(t, post(t, staff, casePath+"/inzien", url.Values{}), http.StatusForbidden)
	if log := h.auditLog(t)[before:]; len(log) != 0 {
		t.Fatalf("forged form wrote %+v", log)
	}
	// Opening is one audited read; showing it (the GET with the grant), and reloading it, write nothing.
	c := openCase(t, staff, casePath)
	wantText(t, "case", c.main(t), "MA-DEMO-0002")
	log := h.auditLog(t)[before:]
	if len(log) != 1 || log[0].Action != app.AuditMedischeAanvraagIngezien || log[0].Actor != "medewerker:"+portal.DemoStaffID {
		t.Fatalf("audit %+v", log)
	}
	reload := get(t, staff, c.Path)
	wantText(t, "reload", reload.main(t), "MA-DEMO-0002")
	grant := c.Path[strings.Index(c.Path, "?"):]
	for name, path := range map[string]string{
		"forged grant":          casePath + "?inzage=abc",
		"grant of another case": fmt.Sprintf("/nl/medewerker/medisch/%d", selam) + grant,
	} {
		p := get(t, staff, path)
		wantStatus(t, p, http.StatusOK)
		wantNoText(t, name, p.Body, "MA-DEMO-0002", "MA-DEMO-0003")
	}
	// Another staff session cannot use the grant.
	other := h.login("nl", portal.StaffPersona)
	wantNoText(t, "other session", get(t, other, c.Path).Body, "MA-DEMO-0002")
	// The grant expires.
	h.clock.Advance(3 * time.Minute)
	wantNoText(t, "expired", get(t, staff, c.Path).Body, "MA-DEMO-0002")
	if log := h.auditLog(t)[before:]; len(log) != 1 {
		t.Errorf("GETs wrote %d audit entries", len(log)-1)
	}
}
