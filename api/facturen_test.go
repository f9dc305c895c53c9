package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
)

func (c *client) facturen(tok string) []api.Schoolfactuur {
	c.t.Helper()
	_, body := c.get(tok, "/v2/mijn/facturen?limit=100", http.StatusOK)
	var l api.FacturenLijst
	mustJSON(c.t, body, &l)
	return l.Facturen
}

func withStatus(t testing.TB, list []api.Schoolfactuur, s api.SchoolfactuurStatus) api.Schoolfactuur {
	t.Helper()
	for _, f := range list {
		if f.Status == s {
			return f
		}
	}
	t.Fatalf("no invoice with status %s", s)
	return api.Schoolfactuur{}
}

func (c *client) auditActions() []string {
	c.t.Helper()
	log, err := c.a.Store.AuditEntries(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	var out []string
	for _, e := range log {
		out = append(out, e.Action)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestFacturenList: newest first with the fields the portal shows, paginated with a cursor and
// a Link header that lead through every invoice once.
func TestFacturenList(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("dawit")
	all := c.facturen(tok)
	if len(all) < 4 {
		t.Fatalf("%d invoices for dawit", len(all))
	}
	for i, f := range all {
		if i > 0 && (f.Factuurdatum.After(all[i-1].Factuurdatum.Time) || f.Factuurdatum.Equal(all[i-1].Factuurdatum.Time) && f.ID > all[i-1].ID) {
			t.Errorf("not newest first at %d", i)
		}
		if f.Kenmerk != fmt.Sprintf("F-%d", f.ID) || f.School == "" || f.PeriodeEinddatum.Before(f.PeriodeStartdatum.Time) {
			t.Errorf("invoice %+v", f)
		}
		open := f.Status == api.SchoolfactuurStatusOpen
		counts := f.Status == api.SchoolfactuurStatusBetaald || f.Status == api.SchoolfactuurStatusGeaccepteerd
		if f.BesluitMogelijk != open || f.TeltVoorLening != counts {
			t.Errorf("invoice %d (%s): besluitMogelijk %v teltVoorLening %v", f.ID, f.Status, f.BesluitMogelijk, f.TeltVoorLening)
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(all), func(f api.Schoolfactuur) bool { return f.Status != api.SchoolfactuurStatusOpen })); n != 2 {
		t.Errorf("%d open invoices, want 2 (seed)", n)
	}

	var seen []int64
	target := "/v2/mijn/facturen?limit=3"
	for range 10 {
		res, body := c.get(tok, target, http.StatusOK)
		var l api.FacturenLijst
		mustJSON(t, body, &l)
		for _, f := range l.Facturen {
			seen = append(seen, f.ID)
		}
		link := res.Header.Get("Link")
		if l.Volgende == nil {
			if link != "" {
				t.Errorf("Link on the last page: %s", link)
			}
			break
		}
		want := fmt.Sprintf(`</v2/mijn/facturen?cursor=%s&limit=3>; rel="next"`, *l.Volgende)
		if link != want {
			t.Fatalf("Link %q, want %q", link, want)
		}
		target = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
	}
	var ids []int64
	for _, f := range all {
		ids = append(ids, f.ID)
	}
	if !slices.Equal(seen, ids) {
		t.Errorf("pages gave %v, one page gave %v", seen, ids)
	}

	res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/facturen?cursor=bm9wZQ", "", bearer(tok)))
	if p := mustProblem(t, res, body, http.StatusBadRequest); !slices.Contains(p.violations(), "cursor:error.cursor_invalid") {
		t.Errorf("violations %v", p.violations())
	}
	// A person without invoices gets an empty list, not null.
	_, body = c.get(c.token("amal"), "/v2/mijn/facturen", http.StatusOK)
	if body != `{"facturen":[]}`+"\n" {
		t.Errorf("empty list: %s", body)
	}
}

// TestFactuurBesluit: accept and reject through the API, with the loan following the accepted
// invoice; every refusal is a translated problem, changes nothing, and is audited.
func TestFactuurBesluit(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("dawit")
	json := header("Content-Type", "application/json")
	list := c.facturen(tok)
	var open []api.Schoolfactuur
	for _, f := range list {
		if f.Status == api.SchoolfactuurStatusOpen {
			open = append(open, f)
		}
	}
	paid := withStatus(t, list, api.SchoolfactuurStatusBetaald)
	besluit := func(id int64) string { return fmt.Sprintf("/v2/mijn/facturen/%d/besluit", id) }

	// Bad input: 400 listing the violation, nothing stored, nothing audited.
	bad := []struct {
		name, body, violation string
	}{
		{"rejection without a reason", `{"besluit":"afwijzen"}`, "reden:error.invoice_reason_required"},
		{"reason of spaces", `{"besluit":"afwijzen","reden":"     "}`, "reden:error.invoice_reason_required"},
		{"reason too short", `{"besluit":"afwijzen","reden":"te kort"}`, "reden:error.field_too_short"},
		{"reason too long", `{"besluit":"afwijzen","reden":"` + strings.Repeat("a", 501) + `"}`, "reden:error.field_too_long"},
		{"unknown decision", `{"besluit":"misschien"}`, "besluit:"},
		{"no decision", `{}`, "besluit:error.field_required"},
		{"unknown member", `{"besluit":"accepteren","bedrag":1}`, "bedrag:error.field_unknown"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			before := c.auditActions()
			res, body := c.do(newRequest(http.MethodPost, besluit(open[0].ID), tc.body, bearer(tok), json, lang("en")))
			p := mustProblem(t, res, body, http.StatusBadRequest)
			if !slices.ContainsFunc(p.violations(), func(v string) bool { return strings.HasPrefix(v, tc.violation) }) {
				t.Errorf("violations %v, want %s", p.violations(), tc.violation)
			}
			if after := c.auditActions(); len(after) != len(before) {
				t.Errorf("bad input audited: %v", after[len(before):])
			}
		})
	}
	if got := withStatus(t, c.facturen(tok), api.SchoolfactuurStatusOpen); got.ID != open[0].ID && got.ID != open[1].ID {
		t.Fatal("bad input changed an invoice")
	}

	_, body := c.get(tok, "/v2/mijn/lening", http.StatusOK)
	var before api.Lening
	mustJSON(t, body, &before)

	res, body := c.do(newRequest(http.MethodPost, besluit(open[0].ID), `{"besluit":"accepteren"}`, bearer(tok), json))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("accept: %d %s", res.StatusCode, body)
	}
	var acc api.Schoolfactuur
	mustJSON(t, body, &acc)
	if acc.Status != api.SchoolfactuurStatusGeaccepteerd || !acc.TeltVoorLening || acc.BesluitMogelijk || acc.BesluitOp == nil || !acc.BesluitOp.Equal(testenv.Now) || acc.Reden != nil {
		t.Errorf("accepted: %s", body)
	}
	reason := "  Deze lessen heb ik niet gehad. "
	res, body = c.do(newRequest(http.MethodPost, besluit(open[1].ID), `{"besluit":"afwijzen","reden":"`+reason+`"}`, bearer(tok), json))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("reject: %d %s", res.StatusCode, body)
	}
	var rej api.Schoolfactuur
	mustJSON(t, body, &rej)
	if rej.Status != api.SchoolfactuurStatusAfgewezen || rej.TeltVoorLening || rej.Reden == nil || *rej.Reden != strings.TrimSpace(reason) {
		t.Errorf("rejected: %s", body)
	}
	_, body = c.get(tok, fmt.Sprintf("/v2/mijn/facturen/%d", open[1].ID), http.StatusOK)
	var got api.Schoolfactuur
	mustJSON(t, body, &got)
	if got.Status != api.SchoolfactuurStatusAfgewezen {
		t.Errorf("GET after reject: %s", body)
	}
	_, body = c.get(tok, "/v2/mijn/lening", http.StatusOK)
	var after api.Lening
	mustJSON(t, body, &after)
	if after.GebruiktInCenten != before.GebruiktInCenten+open[0].BedragInCenten {
		t.Errorf("loan used %d → %d, want + %d (only the accepted invoice)", before.GebruiktInCenten, after.GebruiktInCenten, open[0].BedragInCenten)
	}
	if n := count(c.auditActions(), app.AuditInvoiceDecided); n != 2 {
		t.Errorf("%d decisions audited, want 2", n)
	}

	olena := c.token("olena")
	olenaOpen := withStatus(t, c.facturen(olena), api.SchoolfactuurStatusOpen)
	refusals := []struct {
		name   string
		tok    string
		id     int64
		body   string
		status int
		msgID  string
	}{
		{"a second decision", tok, open[0].ID, `{"besluit":"afwijzen","reden":"Toch niet akkoord hiermee."}`, http.StatusConflict, "error.invoice_decided"},
		{"after DUO paid", tok, paid.ID, `{"besluit":"afwijzen","reden":"Toch niet akkoord hiermee."}`, http.StatusConflict, "error.invoice_paid"},
		{"someone else's invoice", tok, olenaOpen.ID, `{"besluit":"accepteren"}`, http.StatusNotFound, "error.invoice_not_found"},
		{"an invoice that does not exist", tok, 99_999_999, `{"besluit":"accepteren"}`, http.StatusNotFound, "error.invoice_not_found"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			beforeAudit := count(c.auditActions(), app.AuditInvoiceRefused)
			dBefore, oBefore := c.facturen(tok), c.facturen(olena)
			res, body := c.do(newRequest(http.MethodPost, besluit(tc.id), tc.body, bearer(tc.tok), json, lang("en")))
			p := mustProblem(t, res, body, tc.status)
			l, _ := c.a.Bundle.Lookup("en")
			if p.Detail != l.T(tc.msgID, nil) || !strings.HasSuffix(p.Type, tc.msgID) {
				t.Errorf("problem %+v, want the English %s", p, tc.msgID)
			}
			if !slices.EqualFunc(dBefore, c.facturen(tok), sameFactuur) || !slices.EqualFunc(oBefore, c.facturen(olena), sameFactuur) {
				t.Error("a refused decision changed an invoice")
			}
			if got := count(c.auditActions(), app.AuditInvoiceRefused); got != beforeAudit+1 {
				t.Errorf("refusal audited %d times, want 1", got-beforeAudit)
			}
		})
	}
	// Someone else's invoice cannot be read either, and the answer is the same as for none.
	res, body = c.do(newRequest(http.MethodGet, fmt.Sprintf("/v2/mijn/facturen/%d", olenaOpen.ID), "", bearer(tok)))
	p1 := mustProblem(t, res, body, http.StatusNotFound)
	res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/facturen/99999999", "", bearer(tok)))
	p2 := mustProblem(t, res, body, http.StatusNotFound)
	if p1.Detail != p2.Detail || p1.Type != p2.Type {
		t.Errorf("someone else's invoice answers differently from a missing one: %+v / %+v", p1, p2)
	}
	res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/facturen/0", "", bearer(tok)))
	mustProblem(t, res, body, http.StatusBadRequest)
}

func sameFactuur(a, b api.Schoolfactuur) bool {
	return a.ID == b.ID && a.Status == b.Status && (a.Reden == nil) == (b.Reden == nil) && (a.BesluitOp == nil) == (b.BesluitOp == nil)
}
