package portal_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/portal"
)

// keptCase is a form with free text, posted after the session ended.
type keptCase struct {
	name    string
	persona string
	page    string     // the page with the form, without the language
	action  string     // the form's action, without the language
	fields  url.Values // what was typed (the _csrf token is added)
	notKept []string   // fields that must come back empty (a BSN)
	setup   func(t *testing.T, b *testenv.Browser, lang string)
	// opened: the page shows its form only once opened through the audited POST (a staff case);
	// the plain GET offers to open it and leaves the kept form for the opened page.
	opened bool
}

// keptFields fills the form's inputs as the page renders them: a text input's value, a text
// area's content, a checked box or radio button, a selected option.
func keptFields(t testing.TB, form *html.Node) url.Values {
	t.Helper()
	out := url.Values{}
	var els []*html.Node
	for _, tag := range []string{"input", "textarea", "select"} {
		els = append(els, queryAll(t, form, tag)...)
	}
	for _, el := range els {
		name := attrOr(el, "name")
		if name == "" || name == "_csrf" {
			continue
		}
		switch {
		case el.Data == "textarea":
			if el.FirstChild != nil && el.FirstChild.Data != "" {
				out.Add(name, el.FirstChild.Data)
			}
		case el.Data == "select":
			for _, o := range queryAll(t, el, "option[selected]") {
				out.Add(name, attrOr(o, "value"))
			}
		case attrOr(el, "type") == "radio" || attrOr(el, "type") == "checkbox":
			if hasAttr(el, "checked") {
				out.Add(name, attrOr(el, "value"))
			}
		case attrOr(el, "type") != "hidden":
			if v := attrOr(el, "value"); v != "" {
				out.Add(name, v)
			}
		}
	}
	return out
}

// TestKeptFormAcrossLogin: without JavaScript, a form with free text posted after the session
// ended is not carried out; what was typed comes back in the form after the login, once, with a
// note that nothing was sent. It is never in a URL, never readable in the cookie, never a BSN.
func TestKeptFormAcrossLogin(t *testing.T) {
	h := newHarness(t)
	var open domain.Invoice
	for _, inv := range h.invoicesOf(t, "dawit") {
		if inv.Status == domain.InvoiceOpen {
			open = inv
			break
		}
	}
	if open.ID == 0 {
		t.Fatal("dawit has no open invoice")
	}
	reden := fmt.Sprintf("/mijn/facturen/%d/reden", open.ID)
	fase := fmt.Sprintf("/medewerker/medisch/%d", h.requestID(t, "mariam"))
	reason := `Deze lessen <b>heb</b> ik niet gehad & "nooit" – لم أحضر هذه الدروس.`
	cases := []keptCase{
		{"invoice reason", "dawit", reden, reden, url.Values{"reden": {reason}}, nil, func(t *testing.T, b *testenv.Browser, lang string) {
			base := fmt.Sprintf("/%s/mijn/facturen/%d", lang, open.ID)
			wantRedirect(t, post(t, b, base, url.Values{"_csrf": {csrf(b, base)}, "besluit": {"afwijzen"}}), base+"/reden")
		}, false},
		{"medical stage", portal.StaffPersona, fase, fase + "/fase",
			url.Values{"fase-dag": {"3"}, "fase-maand": {"11"}, "fase-jaar": {"2026"}}, nil, nil, true},
		{"medical registration", portal.StaffPersona, "/medewerker/medisch", "/medewerker/medisch/registreren",
			url.Values{"bsn": {"999990019"}, "soort": {"verlenging_ziekte"}, "aangevraagd-dag": {"2"}, "aangevraagd-maand": {"10"}, "aangevraagd-jaar": {"2026"}}, []string{"bsn"}, nil, false},
		{"publish slots", portal.StaffPersona, "/medewerker/afspraken", "/medewerker/afspraken/publiceren",
			url.Values{"soort": {"lening"}, "kanaal": {"video"}, "van": {"01-02-2027"}, "tot": {"28-02-2027"}, "weekdagen": {"2", "4"}, "tijden": {"09:00, 10:30"}, "capaciteit": {"3"}}, nil, nil, false},
		{"school registration", portal.StaffPersona, "/medewerker/scholen", "/medewerker/scholen",
			url.Values{"clientId": {"school-kept"}, "naam": {"Taalschool <Noord>"}, "jwks": {`{"keys":[{"kty":"EC"}]}`}, "scopes": {"contracten:schrijven"}}, nil, nil, false},
	}
	for _, c := range cases {
		for _, lang := range []string{"nl", "ar"} {
			t.Run(c.name+"/"+lang, func(t *testing.T) {
				b := h.login(lang, c.persona)
				if c.setup != nil {
					c.setup(t, b, lang)
				}
				load := func() *page {
					if c.opened {
						return openCase(t, b, "/"+lang+c.page)
					}
					return get(t, b, "/"+lang+c.page)
				}
				before := load()
				wantStatus(t, before, http.StatusOK)
				form := mustQuery(t, before.Doc, fmt.Sprintf(`main form[action="/%s%s"]`, lang, c.action))
				fields := url.Values{} // the hidden fields (the CSRF token among them) as a browser sends them
				for _, in := range queryAll(t, form, "input[type=hidden]") {
					fields.Add(attrOr(in, "name"), attrOr(in, "value"))
				}
				for k, v := range c.fields {
					fields[k] = v
				}
				h.clock.Advance(16 * time.Minute)
				p := post(t, b, "/"+lang+c.action, fields)
				wantRedirect(t, p, "/"+lang+"/inloggen?"+url.Values{"terug": {c.page}, "verlopen": {"1"}}.Encode())
				ck := b.Cookies[portal.KeptCookie]
				if ck == nil {
					t.Fatalf("no %s cookie after the refused post", portal.KeptCookie)
				}
				if !ck.HttpOnly || ck.MaxAge <= 0 || ck.MaxAge > 3600 || len(ck.Value) > 3800 {
					t.Errorf("kept cookie: HttpOnly %v, MaxAge %d, %d bytes", ck.HttpOnly, ck.MaxAge, len(ck.Value))
				}
				for _, vals := range c.fields {
					for _, v := range vals {
						if len(v) > 2 && (strings.Contains(ck.Value, v) || strings.Contains(p.location(), url.QueryEscape(v))) {
							t.Errorf("typed value %q readable in the cookie or the URL", v)
						}
					}
				}
				// The login page and the login itself keep it; the form's page shows it.
				wantStatus(t, get(t, b, p.location()), http.StatusOK)
				wantRedirect(t, post(t, b, "/"+lang+"/inloggen/demo", url.Values{"_csrf": {csrf(b, "/"+lang+"/inloggen")}, "persona": {c.persona}, "terug": {c.page}}), "/"+lang+c.page)
				if c.opened {
					offer := get(t, b, "/"+lang+c.page)
					if query(t, offer.Doc, "main .notice[role=status]") != nil && strings.Contains(offer.Body, h.msg(lang, "session.kept_restored")) {
						t.Errorf("the offer to open the case says the form was kept; it has no form")
					}
				}
				after := load()
				wantStatus(t, after, http.StatusOK)
				h.checkPage(t, after, lang)
				wantText(t, "restored page", text(mustQuery(t, after.Doc, `main .notice[role=status]`)), h.msg(lang, "session.kept_restored"))
				got := keptFields(t, mustQuery(t, after.Doc, fmt.Sprintf(`main form[action="/%s%s"]`, lang, c.action)))
				for k, want := range c.fields {
					if contains(c.notKept, k) {
						if len(got[k]) > 0 {
							t.Errorf("%s came back (%q): it must not be kept", k, got[k])
						}
						continue
					}
					if strings.Join(got[k], "|") != strings.Join(want, "|") {
						t.Errorf("field %s came back as %q, want %q", k, got[k], want)
					}
				}
				if b.Cookies[portal.KeptCookie] != nil {
					t.Errorf("the kept cookie stays after it was shown")
				}
				again := get(t, b, "/"+lang+c.page)
				if query(t, again.Doc, "main .notice[role=status]") != nil && strings.Contains(again.Body, h.msg(lang, "session.kept_restored")) {
					t.Errorf("the kept form is shown twice")
				}
			})
		}
	}
	// Nothing was carried out on the reader's behalf.
	for _, inv := range h.invoicesOf(t, "dawit") {
		if inv.ID == open.ID && inv.Status != domain.InvoiceOpen {
			t.Errorf("the invoice was decided (%s) by a kept form", inv.Status)
		}
	}
}

// TestKeptFormRefused: a kept form is shown only on its page, to the same kind of account, within
// its lifetime, untampered; a logout drops it; a field too large for the cookie is left out whole.
func TestKeptFormRefused(t *testing.T) {
	h := newHarness(t)
	var open domain.Invoice
	for _, inv := range h.invoicesOf(t, "dawit") {
		if inv.Status == domain.InvoiceOpen {
			open = inv
			break
		}
	}
	reden := fmt.Sprintf("/nl/mijn/facturen/%d/reden", open.ID)
	expire := func(t *testing.T, reason string) *testenv.Browser {
		b := h.login("nl", "dawit")
		base := strings.TrimSuffix(reden, "/reden")
		post(t, b, base, url.Values{"_csrf": {csrf(b, base)}, "besluit": {"afwijzen"}})
		token := csrf(b, reden)
		h.clock.Advance(16 * time.Minute)
		post(t, b, reden, url.Values{"_csrf": {token}, "reden": {reason}})
		return b
	}
	relogin := func(t *testing.T, b *testenv.Browser, persona string) {
		post(t, b, "/nl/inloggen/demo", url.Values{"_csrf": {csrf(b, "/nl/inloggen")}, "persona": {persona}})
	}
	textarea := func(t *testing.T, b *testenv.Browser) string {
		p := get(t, b, reden)
		wantStatus(t, p, http.StatusOK)
		return text(mustQuery(t, p.Doc, "textarea#reden"))
	}
	t.Run("too old", func(t *testing.T) {
		b := expire(t, "te laat")
		h.clock.Advance(31 * time.Minute)
		relogin(t, b, "dawit")
		if got := textarea(t, b); got == "te laat" {
			t.Errorf("a kept form older than its lifetime came back")
		}
	})
	t.Run("tampered", func(t *testing.T) {
		b := expire(t, "geknoeid")
		ck := b.Cookies[portal.KeptCookie]
		ck.Value = ck.Value[:len(ck.Value)-2] + "AA"
		relogin(t, b, "dawit")
		if got := textarea(t, b); got == "geknoeid" {
			t.Errorf("a tampered kept form came back")
		}
	})
	t.Run("logout", func(t *testing.T) {
		b := expire(t, "uitgelogd")
		relogin(t, b, "dawit")
		post(t, b, "/nl/uitloggen", url.Values{"_csrf": {csrf(b, "/nl/mijn")}})
		if b.Cookies[portal.KeptCookie] != nil {
			t.Errorf("logout leaves the kept form")
		}
	})
	t.Run("other kind of account", func(t *testing.T) {
		b := expire(t, "medewerker")
		relogin(t, b, portal.StaffPersona)
		p := get(t, b, "/nl/medewerker/scholen")
		wantNoText(t, "staff page", p.Body, "medewerker</textarea>", h.msg("nl", "session.kept_restored"))
	})
	t.Run("form without free text", func(t *testing.T) {
		b := h.login("nl", "dawit")
		token := csrf(b, "/nl/mijn")
		h.clock.Advance(16 * time.Minute)
		post(t, b, "/nl/mijn/taal", url.Values{"_csrf": {token}, "taal": {"ar"}})
		if b.Cookies[portal.KeptCookie] != nil {
			t.Errorf("a form whose page cannot put values back was kept")
		}
	})
	t.Run("another person", func(t *testing.T) {
		b := expire(t, "van dawit")
		p := post(t, b, "/nl/inloggen/demo", url.Values{"_csrf": {csrf(b, "/nl/inloggen")}, "persona": {"olena"}, "terug": {strings.TrimPrefix(reden, "/nl")}})
		wantRedirect(t, p, reden)
		other := get(t, b, reden)
		if other.Status != http.StatusNotFound || strings.Contains(other.Body, "van dawit") || strings.Contains(other.Body, h.msg("nl", "session.kept_restored")) {
			t.Errorf("another person's page: %d, shows the kept form: %v", other.Status, strings.Contains(other.Body, "van dawit"))
		}
	})
	t.Run("too large", func(t *testing.T) {
		var sb strings.Builder
		for i := 0; sb.Len() < 9000; i++ {
			fmt.Fprintf(&sb, "%x ", uint32(i*2654435761))
		}
		b := expire(t, sb.String())
		if ck := b.Cookies[portal.KeptCookie]; ck != nil && len(ck.Value) > 3800 {
			t.Errorf("kept cookie of %d bytes", len(ck.Value))
		}
		relogin(t, b, "dawit")
		if got := textarea(t, b); got != "" && got != sb.String() {
			t.Errorf("a field too large came back cut off (%d of %d bytes)", len(got), sb.Len())
		}
	})
}

// TestFixedValuesInPages: on real pages, in every language, the values inside translated
// sentences carry translate="no": the name in the welcome, the amounts in the loan sentence.
func TestFixedValuesInPages(t *testing.T) {
	h := newHarness(t)
	name := h.personaName(t, "yusuf")
	for _, lang := range h.languages() {
		b := h.login(lang, "yusuf")
		p := get(t, b, "/"+lang+"/mijn")
		wantStatus(t, p, http.StatusOK)
		lead := mustQuery(t, p.Doc, "main p.lead")
		var spans []string
		for _, s := range queryAll(t, lead, `span[translate="no"]`) {
			spans = append(spans, text(s))
		}
		if !contains(spans, name) {
			t.Errorf("%s: the name is not marked translate=no in %q (spans %q)", lang, text(lead), spans)
		}
		l := get(t, b, "/"+lang+"/mijn/lening")
		n := 0
		for _, s := range queryAll(t, mustQuery(t, l.Doc, "main"), `p span[translate="no"]`) {
			if strings.Contains(text(s), "€") || strings.Contains(text(s), "EUR") || strings.ContainsAny(text(s), "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹") {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no amount or date in a sentence of the loan page is marked translate=no", lang)
		}
	}
}
