package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// invoicesOf returns persona's invoices, newest first, through the use case.
func (h *harness) invoicesOf(t testing.TB, persona string) []domain.Invoice {
	t.Helper()
	ctx := context.Background()
	p, err := h.app.Service.PersonaLogin(ctx, persona)
	if err != nil {
		t.Fatal(err)
	}
	page, err := h.app.Service.Invoices(ctx, p.ID, nil, app.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	return page.Invoices
}

func firstWithStatus(t testing.TB, list []domain.Invoice, s domain.InvoiceStatus) domain.Invoice {
	t.Helper()
	for _, inv := range list {
		if inv.Status == s {
			return inv
		}
	}
	t.Fatalf("no invoice with status %s in %+v", s, list)
	return domain.Invoice{}
}

func (h *harness) countAudit(t testing.TB, action string) int {
	n := 0
	for _, e := range h.auditLog(t) {
		if e.Action == action {
			n++
		}
	}
	return n
}

// norm collapses spaces (also no-break ones) as text() does.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// submit posts form with the CSRF token of the page at path.
func submit(t testing.TB, b *testenv.Browser, path string, form url.Values) *page {
	t.Helper()
	form.Set("_csrf", csrf(b, path))
	return post(t, b, path, form)
}

// TestInvoicesPage: each invoice as a stacked label–value list (no table to clip on a phone) with
// school, period, amount and status; open invoices first with a way to decide; in every language.
func TestInvoicesPage(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "dawit")
	list := h.invoicesOf(t, "dawit")
	open := 0
	for _, inv := range list {
		if inv.Status == domain.InvoiceOpen {
			open++
		}
	}
	for _, lang := range h.languages() {
		t.Run(lang, func(t *testing.T) {
			p := get(t, b, "/"+lang+"/mijn/facturen")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			if query(t, p.Doc, "main table") != nil {
				t.Error("the invoices page uses a table")
			}
			cards := queryAll(t, p.Doc, "ul.invoice-list li.card")
			if len(cards) != len(list) {
				t.Fatalf("%d invoice cards, want %d", len(cards), len(list))
			}
			decide := queryAll(t, p.Doc, "ul.invoice-list li.card a.button")
			if len(decide) != open {
				t.Errorf("%d decide links, want one per open invoice (%d)", len(decide), open)
			}
			first := list[0]
			for _, inv := range list {
				if inv.Status == domain.InvoiceOpen {
					first = inv
					break
				}
			}
			card := text(cards[0])
			l, _ := h.app.Bundle.Lookup(lang)
			wantText(t, "first card", card, first.School, norm(l.Money(int64(first.Amount))),
				norm(l.Date(first.PeriodStart.Year, first.PeriodStart.Month, first.PeriodStart.Day)),
				norm(l.Date(first.PeriodEnd.Year, first.PeriodEnd.Month, first.PeriodEnd.Day)),
				h.msg(lang, "invoice.status.open"), h.msg(lang, "invoice.school"), h.msg(lang, "invoice.period"))
			if got := attrOr(decide[0], "href"); got != fmt.Sprintf("/%s/mijn/facturen/%d", lang, first.ID) {
				t.Errorf("decide link %q", got)
			}
			// Linked from the overview card and the loan page, with the number waiting.
			for _, from := range []string{"/mijn", "/mijn/lening"} {
				pg := get(t, b, "/"+lang+from)
				if query(t, pg.Doc, fmt.Sprintf(`main a[href="/%s/mijn/facturen"]`, lang)) == nil {
					t.Errorf("%s has no link to the invoices page", from)
				}
			}
		})
	}
}

// TestInvoiceRejectJourney: question, reason, check your answers, confirmation; each step a
// GET page with one question, errors in a summary, POST with CSRF and a 303; the decision is
// stored only at the end and audited; a second submission is refused and changes nothing.
func TestInvoiceRejectJourney(t *testing.T) {
	h := newHarness(t)
	for _, lang := range []string{"nl", "ar"} {
		t.Run(lang, func(t *testing.T) {
			b := h.login(lang, "dawit")
			inv := firstWithStatus(t, h.invoicesOf(t, "dawit"), domain.InvoiceOpen)
			base := fmt.Sprintf("/%s/mijn/facturen/%d", lang, inv.ID)

			q := get(t, b, base)
			wantStatus(t, q, http.StatusOK)
			h.checkPage(t, q, lang)
			form := mustQuery(t, q.Doc, "main form")
			if _, ok := attr(form, "novalidate"); !ok || attrOr(form, "action") != base {
				t.Errorf("question form: novalidate and action %s expected", base)
			}
			if n := len(queryAll(t, form, "input[type=radio][name=besluit]")); n != 2 {
				t.Errorf("%d radios", n)
			}

			// No answer: 400, error summary linking to the first radio, nothing stored.
			e := submit(t, b, base, url.Values{})
			wantStatus(t, e, http.StatusBadRequest)
			h.checkPage(t, e, lang)
			sum := mustQuery(t, e.Doc, ".error-summary a")
			if attrOr(sum, "href") != "#besluit" || text(sum) != h.msg(lang, "invoice.decision_required") {
				t.Errorf("error summary %q → %q", text(sum), attrOr(sum, "href"))
			}
			wantText(t, "title", text(mustQuery(t, e.Doc, "head title")), h.msg(lang, "error.prefix"))
			e = submit(t, b, base, url.Values{"besluit": {"misschien"}})
			wantStatus(t, e, http.StatusBadRequest)

			// The check page cannot be reached before the questions are answered.
			wantRedirect(t, get(t, b, base+"/controleren"), base)
			wantRedirect(t, submit(t, b, base, url.Values{"besluit": {"afwijzen"}}), base+"/reden")

			r := get(t, b, base+"/reden")
			wantStatus(t, r, http.StatusOK)
			h.checkPage(t, r, lang)
			mustQuery(t, r.Doc, "main form textarea#reden")

			for _, tc := range []struct{ reason, id string }{
				{"", "error.invoice_reason_required"},
				{"te kort", "error.field_too_short"},
				{strings.Repeat("x", domain.RejectionReasonMax+1), "error.field_too_long"},
			} {
				e := submit(t, b, base+"/reden", url.Values{"reden": {tc.reason}})
				wantStatus(t, e, http.StatusBadRequest)
				h.checkPage(t, e, lang)
				limit := domain.RejectionReasonMin
				if tc.id == "error.field_too_long" {
					limit = domain.RejectionReasonMax
				}
				if got, want := text(mustQuery(t, e.Doc, ".error-summary a")), h.msg(lang, tc.id, "Count", limit); got != want {
					t.Errorf("reason %q: error %q, want %q", tc.reason, got, want)
				}
				if attrOr(mustQuery(t, e.Doc, "textarea#reden"), "aria-invalid") != "true" {
					t.Error("textarea not marked invalid")
				}
			}
			reason := "Deze lessen heb ik niet gehad."
			wantRedirect(t, submit(t, b, base+"/reden", url.Values{"reden": {"  " + reason + " "}}), base+"/controleren")

			c := get(t, b, base+"/controleren")
			wantStatus(t, c, http.StatusOK)
			h.checkPage(t, c, lang)
			wantText(t, "check page", c.main(t), reason, h.msg(lang, "invoice.decision.afwijzen"), h.msg(lang, "invoice.check_final.afwijzen"), inv.School)
			if got := h.invoicesOf(t, "dawit"); firstWithStatus(t, got, domain.InvoiceOpen).ID != inv.ID {
				t.Fatal("the decision was stored before the answers were checked")
			}
			if strings.Contains(b.Cookies["factuurbesluit"].Value, "lessen") {
				t.Error("the answers cookie is not sealed")
			}

			before := h.countAudit(t, app.AuditInvoiceDecided)
			wantRedirect(t, submit(t, b, base+"/controleren", url.Values{}), base+"/bevestiging")
			if got := h.countAudit(t, app.AuditInvoiceDecided); got != before+1 {
				t.Errorf("%d decision audit entries, want %d", got, before+1)
			}
			conf := get(t, b, base+"/bevestiging")
			wantStatus(t, conf, http.StatusOK)
			h.checkPage(t, conf, lang)
			if got := text(mustQuery(t, conf.Doc, ".panel h1")); got != h.msg(lang, "invoice.confirmation_title.afgewezen") {
				t.Errorf("confirmation h1 %q", got)
			}
			wantText(t, "confirmation", conf.main(t), "F-"+strconv.FormatInt(inv.ID, 10), reason, h.msg(lang, "invoice.status.afgewezen"))

			// The invoice page now states the decision and offers no form.
			again := get(t, b, base)
			wantStatus(t, again, http.StatusOK)
			if query(t, again.Doc, "main form") != nil {
				t.Error("a decided invoice still offers the question")
			}
			wantText(t, "decided invoice", again.main(t), h.msg(lang, "invoice.final.afgewezen"))

			// Submitting again (the back button, a second tab) is refused, audited, changes nothing.
			refusedBefore := h.countAudit(t, app.AuditInvoiceRefused)
			e = post(t, b, base+"/controleren", url.Values{"_csrf": {csrf(b, "/"+lang+"/mijn")}})
			wantStatus(t, e, http.StatusConflict)
			h.checkPage(t, e, lang)
			wantText(t, "409 page", e.main(t), h.msg(lang, "error.invoice_decided"))
			if got := h.countAudit(t, app.AuditInvoiceRefused); got != refusedBefore+1 {
				t.Errorf("refusal audited %d times, want 1", got-refusedBefore)
			}
			stored, _ := h.app.Service.Invoice(context.Background(), mustPersonaID(t, h, "dawit"), inv.ID)
			if stored.Status != domain.InvoiceRejected || stored.Reason != reason {
				t.Errorf("stored %+v", stored)
			}
		})
	}
}

func mustPersonaID(t testing.TB, h *harness, key string) int64 {
	t.Helper()
	p, err := h.app.Service.PersonaLogin(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// TestInvoiceAcceptCountsAgainstTheLoan: accepting skips the reason and adds the amount to what
// the loan page shows as used.
func TestInvoiceAcceptCountsAgainstTheLoan(t *testing.T) {
	h := newHarness(t)
	b := h.login("en", "olena")
	id := mustPersonaID(t, h, "olena")
	before, _ := h.app.Service.Overview(context.Background(), id)
	inv := firstWithStatus(t, h.invoicesOf(t, "olena"), domain.InvoiceOpen)
	base := fmt.Sprintf("/en/mijn/facturen/%d", inv.ID)
	wantRedirect(t, submit(t, b, base, url.Values{"besluit": {"accepteren"}}), base+"/controleren")
	c := get(t, b, base+"/controleren")
	wantStatus(t, c, http.StatusOK)
	if query(t, c.Doc, fmt.Sprintf(`a[href="%s/reden"]`, base)) != nil {
		t.Error("an acceptance asks for a reason")
	}
	wantText(t, "check", c.main(t), h.msg("en", "invoice.check_final.accepteren"))
	wantRedirect(t, submit(t, b, base+"/controleren", url.Values{}), base+"/bevestiging")
	after, _ := h.app.Service.Overview(context.Background(), id)
	if after.Loan.Used != before.Loan.Used+inv.Amount {
		t.Errorf("used %d → %d, want +%d", before.Loan.Used, after.Loan.Used, inv.Amount)
	}
	l, _ := h.app.Bundle.Lookup("en")
	wantText(t, "loan page", get(t, b, "/en/mijn/lening").main(t), norm(l.Money(int64(after.Loan.Used))))
}

// TestInvoiceRefusals: someone else's invoice is not found (no information leaks) and the
// attempt is audited; a paid invoice cannot be decided; bad ids are 404.
func TestInvoiceRefusals(t *testing.T) {
	h := newHarness(t)
	olena := h.login("nl", "olena")
	dawitInv := firstWithStatus(t, h.invoicesOf(t, "dawit"), domain.InvoiceOpen)
	other := fmt.Sprintf("/nl/mijn/facturen/%d", dawitInv.ID)
	for _, path := range []string{other, other + "/reden", other + "/controleren", other + "/bevestiging", "/nl/mijn/facturen/abc", "/nl/mijn/facturen/0", "/nl/mijn/facturen/99999999"} {
		p := get(t, olena, path)
		wantStatus(t, p, http.StatusNotFound)
		h.checkPage(t, p, "nl")
		wantText(t, path, p.main(t), h.msg("nl", "error.invoice_not_found"))
	}
	refused := h.countAudit(t, app.AuditInvoiceRefused)
	// Even with answers of her own in hand, posting to Dawit's invoice finds nothing.
	p := post(t, olena, other+"/controleren", url.Values{"_csrf": {csrf(olena, "/nl/mijn")}})
	wantStatus(t, p, http.StatusNotFound)
	if firstWithStatus(t, h.invoicesOf(t, "dawit"), domain.InvoiceOpen).ID != dawitInv.ID {
		t.Error("someone else's attempt changed the invoice")
	}
	if got := h.countAudit(t, app.AuditInvoiceRefused); got != refused+1 {
		t.Errorf("an attempt on someone else's invoice audited %d times, want 1", got-refused)
	}

	paid := firstWithStatus(t, h.invoicesOf(t, "olena"), domain.InvoicePaid)
	base := fmt.Sprintf("/nl/mijn/facturen/%d", paid.ID)
	pg := get(t, olena, base)
	wantStatus(t, pg, http.StatusOK)
	h.checkPage(t, pg, "nl")
	if query(t, pg.Doc, "main form") != nil {
		t.Error("a paid invoice offers the question")
	}
	wantText(t, "paid invoice", pg.main(t), h.msg("nl", "invoice.final.betaald"), h.msg("nl", "invoice.status.betaald"))
	wantRedirect(t, submit(t, olena, "/nl/mijn/facturen/"+strconv.FormatInt(firstWithStatus(t, h.invoicesOf(t, "olena"), domain.InvoiceOpen).ID, 10), url.Values{"besluit": {"accepteren"}}),
		fmt.Sprintf("/nl/mijn/facturen/%d/controleren", firstWithStatus(t, h.invoicesOf(t, "olena"), domain.InvoiceOpen).ID))
	before := h.countAudit(t, app.AuditInvoiceRefused)
	e := post(t, olena, base+"/controleren", url.Values{"_csrf": {csrf(olena, "/nl/mijn")}})
	wantStatus(t, e, http.StatusConflict)
	h.checkPage(t, e, "nl")
	wantText(t, "paid", e.main(t), h.msg("nl", "error.invoice_paid"))
	if got := h.countAudit(t, app.AuditInvoiceRefused); got != before+1 {
		t.Errorf("refusal after payment audited %d times, want 1", got-before)
	}
}
