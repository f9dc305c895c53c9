package portal

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/inburgering/portal/internal/app"
)

// Pages whose "main" is also written out in Go. html/template spends most of a page's time on
// reflection: every {{.Method …}} is looked up by name and called through reflect. The logged-in
// overview is the busiest page there is, so its content is written by overviewMain instead; the
// template stays the source and the oracle. In test binaries (VerifyPretranslated) every page
// rendered this way is rendered by its template too and must be the same byte for byte, so a
// change to one without the other fails every test that opens the page, in every language, on
// every date the date tests use.
var goMains = map[string]func(w *pageWriter){
	"overzicht": overviewMain,
}

// pageWriter writes a page's HTML as html/template would: text escaped as html/template escapes
// it in HTML text and in quoted attributes, template.HTML as it is.
type pageWriter struct {
	b *strings.Builder
	v *View
}

func (w *pageWriter) raw(s string) { w.b.WriteString(s) }

// text writes x as {{x}} prints in HTML text. A value that is not template.HTML prints the same
// in a quoted attribute that is not a URL, script or style, and only such values are written
// into attributes here (template.HTML would have its tags stripped there).
func (w *pageWriter) text(x any) {
	switch s := x.(type) {
	case template.HTML:
		w.b.WriteString(string(s))
	case string:
		htmlEscaper.WriteString(w.b, s)
	case Fixed:
		htmlEscaper.WriteString(w.b, string(s))
	case int:
		w.b.WriteString(strconv.Itoa(s))
	default:
		htmlEscaper.WriteString(w.b, fmt.Sprint(x))
	}
}

// rcdata writes x as {{x}} prints inside <title>: plain text escaped as in text, HTML with its
// markup escaped but its entities kept (html/template's rcdataEscaper).
func (w *pageWriter) rcdata(x any) {
	if h, ok := x.(template.HTML); ok {
		htmlNormEscaper.WriteString(w.b, string(h))
		return
	}
	w.text(x)
}

// c writes the translation of a constant message ID, as {{.T "id"}} prints it (the localizer
// caches translations without data).
func (w *pageWriter) c(id string) { htmlEscaper.WriteString(w.b, w.v.L.T(id)) }

// legal writes {{.Legal term}}.
func (w *pageWriter) legal(term string) { w.b.WriteString(string(w.v.Legal(term))) }

// htmlEscaper escapes as html/template does in text and quoted attributes (its
// htmlReplacementTable): NUL, ", &, ', +, < and >.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// htmlNormEscaper is htmlEscaper for text that is HTML already: it leaves & (entities) alone.
var htmlNormEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// overviewMain is overzicht.html's "main" with the partials it calls (term-state, term-next,
// next-step-heading, pip-summary), action by action.
func overviewMain(w *pageWriter) {
	v := w.v
	o := v.Data.(app.Overview)
	code := v.L.Code()
	w.raw("\n<h1>")
	w.c("overview.heading")
	w.raw("</h1>\n<p class=\"lead\">")
	w.text(v.T("overview.intro", "Name", v.Fix(o.Person.Name)))
	w.raw("</p>")
	if o.Person.PreferredLanguage != code {
		w.raw("\n<form method=\"post\" action=\"/" + code + "/mijn/taal\" class=\"make-language\">\n  <input type=\"hidden\" name=\"_csrf\" value=\"")
		w.text(v.CSRF)
		w.raw("\">\n  <p>")
		w.c("profile.language_other")
		w.raw("</p>\n  <button type=\"submit\" class=\"button button-secondary\">")
		w.c("profile.make_language")
		w.raw("</button>\n</form>")
	}
	state := string(o.Term.State)
	w.raw("\n<div class=\"cards\">\n  <section class=\"card card-")
	w.text(state)
	w.raw("\" aria-labelledby=\"card-term\">\n    <h2 id=\"card-term\">")
	w.c("term.title")
	w.raw(" ")
	w.legal("inburgeringstermijn")
	w.raw("</h2>\n    ")
	// term-state
	w.raw("\n<p><span class=\"status-tag status-")
	w.text(state)
	w.raw("\">")
	w.text(v.T("term.state." + state))
	w.raw("</span>")
	if state == "ontheffing" {
		w.raw(" ")
		w.legal("ontheffing")
	}
	w.raw("</p>")
	if o.Term.End != nil {
		w.raw("\n    <p class=\"figure\"><span class=\"figure-label\">")
		w.c("term.end")
		w.raw("</span> <bdi translate=\"no\" class=\"figure-value\">")
		w.text(v.Date(o.Term.End))
		w.raw("</bdi></p>")
	}
	if o.Term.End != nil && (state == "lopend" || state == "laatste_jaar") {
		w.raw("\n    <p>")
		w.text(v.DaysLeft(o))
		w.raw("</p>")
	}
	w.raw("\n    ")
	// term-next
	a := v.TermNext(o)
	w.raw("\n<div class=\"next-step\">\n  ")
	nextStepHeading(w)
	w.raw("\n  <p")
	if by := a.ByISO(); by != "" {
		w.raw(" data-advice-date=\"")
		w.text(by)
		w.raw("\"")
	}
	w.raw(">")
	w.text(v.TM(a.ID, a.Params))
	w.raw("</p>\n</div>")
	w.raw("\n    <p><a href=\"/" + code + "/mijn/termijn\">")
	w.c("overview.more_term")
	w.raw("</a></p>\n  </section>\n\n  <section class=\"card\" aria-labelledby=\"card-loan\">\n    <h2 id=\"card-loan\">")
	w.c("loan.title")
	w.raw(" ")
	w.legal("lening")
	w.raw("</h2>")
	if o.Loan.Applies {
		w.raw("\n    <p class=\"figure\"><span class=\"figure-label\">")
		w.c("loan.balance")
		w.raw("</span> <bdi translate=\"no\" class=\"figure-value\">")
		w.text(v.Money(o.Loan.Balance))
		w.raw("</bdi></p>\n    <p>")
		w.text(v.T("loan.used_of_max", "Used", v.Money(o.Loan.Used), "Max", v.Money(o.Loan.Maximum)))
		w.raw("</p>")
		for _, warn := range o.Loan.Warnings {
			w.raw("\n    <div class=\"warning\" role=\"note\"><p><strong>")
			w.c("loan.warning_label")
			w.raw("</strong> ")
			w.text(v.TM("loan.warning."+string(warn), v.ELIP(o)))
			w.raw("</p></div>")
		}
	} else {
		w.raw("\n    <p>")
		w.text(v.T("loan.not_applicable." + string(o.Person.Payer)))
		w.raw("</p>")
	}
	w.raw("\n    <p><a href=\"/" + code + "/mijn/lening\">")
	w.c("overview.more_loan")
	w.raw("</a></p>")
	if len(o.Invoices) > 0 {
		w.raw("\n    <p><a href=\"/" + code + "/mijn/facturen\">")
		if n := v.OpenInvoices(o.Invoices); n != 0 {
			w.text(v.N("invoices.waiting", n))
		} else {
			w.c("invoices.link")
		}
		w.raw("</a></p>")
	}
	w.raw("\n  </section>\n\n  <section class=\"card\" aria-labelledby=\"card-pip\">\n    <h2 id=\"card-pip\">")
	w.c("pip.title")
	w.raw(" ")
	w.legal("plan inburgering en participatie")
	w.raw("</h2>\n    ")
	pipSummary(w, o)
	w.raw("\n    <p><a href=\"/" + code + "/mijn/pip\">")
	w.c("overview.more_pip")
	w.raw("</a></p>\n  </section>\n\n  <section class=\"card\" aria-labelledby=\"card-inbox\">\n    <h2 id=\"card-inbox\">")
	w.c("inbox.title")
	w.raw("</h2>\n    <p>")
	w.text(v.Unread(o.Unread))
	w.raw("</p>\n    <p><a href=\"/" + code + "/mijn/berichten\">")
	w.c("overview.more_inbox")
	w.raw("</a></p>\n  </section>\n\n  <section class=\"card\" aria-labelledby=\"card-medical\">\n    <h2 id=\"card-medical\">")
	w.c("medical.title")
	w.raw(" ")
	w.legal("medische aanvragen")
	w.raw("</h2>\n    <p>")
	w.c("medical.overview_text")
	w.raw("</p>\n    <p><a href=\"/" + code + "/mijn/medisch\">")
	w.c("medical.overview_link")
	w.raw("</a></p>\n  </section>\n\n  <section class=\"card\" aria-labelledby=\"card-hours\">\n    <h2 id=\"card-hours\">")
	w.c("hours.title")
	w.raw(" ")
	w.legal("urenverklaringen")
	w.raw("</h2>\n    <p>")
	w.c("hours.overview_text")
	w.raw("</p>\n    <p><a href=\"/" + code + "/mijn/urenverklaringen\">")
	w.c("hours.overview_link")
	w.raw("</a></p>\n  </section>\n</div>\n")
}

// nextStepHeading is the partial next-step-heading.
func nextStepHeading(w *pageWriter) {
	if w.v.Path == "/mijn" {
		w.raw("<h3>")
		w.c("overview.next")
		w.raw("</h3>")
		return
	}
	w.raw("<h2>")
	w.c("overview.next")
	w.raw("</h2>")
}

// pipSummary is the partial pip-summary.
func pipSummary(w *pageWriter, o app.Overview) {
	v := w.v
	st := o.PIPStatus
	switch {
	case !o.PIPApplies:
		w.raw("\n<p>")
		w.text(v.T("pip.not_applicable." + string(o.Regime)))
		w.raw("</p>")
	case o.PIP != nil:
		w.raw("\n<p class=\"status-tag status-voldaan\">")
		w.c("pip.set")
		w.raw("</p>\n<dl class=\"summary-list\">\n  <div><dt>")
		w.c("pip.route")
		w.raw("</dt><dd>")
		w.text(v.T("pip.route." + string(o.PIP.Route)))
		w.raw("</dd></div>\n  <div><dt>")
		w.c("pip.gemeente")
		w.raw("</dt><dd><bdi translate=\"no\" dir=\"auto\">")
		w.text(o.PIP.Gemeente)
		w.raw("</bdi></dd></div>\n  <div><dt>")
		w.c("pip.date")
		w.raw("</dt><dd><bdi translate=\"no\">")
		w.text(v.Date(o.PIP.Date))
		w.raw("</bdi></dd></div>\n</dl>")
		if st.SetDaysLate != 0 {
			w.raw("\n<p class=\"notice\">")
			w.text(v.N("pip.set_late", st.SetDaysLate))
			w.raw("</p>")
		}
	default:
		if st.Overdue {
			w.raw("\n<p class=\"status-tag status-verlopen\">")
		} else {
			w.raw("\n<p class=\"status-tag status-niet_gestart\">")
		}
		w.c("pip.not_set")
		w.raw("</p>")
		if st.Deadline != nil {
			w.raw("\n<p>")
			if st.Overdue {
				w.text(v.T("pip.deadline_passed", "Date", v.Date(st.Deadline)))
			} else {
				w.text(v.T("pip.deadline", "Date", v.Date(st.Deadline)))
			}
			w.raw("</p>")
		}
		if st.ThirdParty {
			w.raw("\n<p>")
			w.c("pip.third_party")
			w.raw("</p>")
		}
		if st.Overdue {
			w.raw("\n<div class=\"warning\" role=\"note\"><p><strong>")
			w.c("pip.overdue_label")
			w.raw("</strong> ")
			w.text(v.N("pip.overdue", st.DaysOverdue))
			w.raw("</p></div>")
		}
		w.raw("\n<div class=\"next-step\">\n  ")
		nextStepHeading(w)
		w.raw("\n  <p>")
		w.text(v.T("pip.responsible." + string(st.Responsible)))
		w.raw("</p>\n</div>")
	}
}

// layoutMain is _layout.html's "layout" written out in Go, for every page of a language that has
// been localized, with the same oracle as the pages in goMains: test binaries render every page's
// layout by the template too. It is used only when layoutPlain holds: the values it writes
// into URLs are then made of characters html/template writes as they are, so no URL escaping
// needs copying; any other request gets the template.
func layoutMain(w *pageWriter) {
	v := w.v
	code, dir := v.L.Code(), v.L.Dir()
	w.raw("<!DOCTYPE html>\n<html lang=\"" + code + "\" dir=\"" + dir + "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if len(v.Errors) > 0 {
		w.rcdata(v.T("error.prefix"))
		w.raw(" ")
	}
	w.rcdata(v.T(v.TitleID))
	w.raw(" – ")
	w.rcdata(v.T("site.name"))
	w.raw("</title>\n<link rel=\"stylesheet\" href=\"" + v.Static("app.css") + "\">\n<script src=\"" + v.Static("app.js") + "\" defer></script>\n<link rel=\"icon\" href=\"" + v.Static("favicon.svg") + "\" type=\"image/svg+xml\">\n<link rel=\"canonical\" href=\"" + v.BaseURL + "/" + code + v.Path + "\">")
	w.raw(string(v.LangAlternates()))
	w.raw(string(v.head))
	w.raw("\n</head>\n<body>\n<a class=\"skip-link\" href=\"#inhoud\">")
	w.c("layout.skip")
	w.raw("</a>\n<header class=\"site-header\">")
	if v.Demo {
		w.raw("\n  <div class=\"demo-banner\" role=\"note\"><div class=\"container\">")
		w.c("layout.demo_banner")
		w.raw("</div></div>")
	}
	w.raw("\n  <div class=\"container header-bar\">\n    <a class=\"logo\" href=\"/" + code + "\"><span class=\"logo-ribbon\" aria-hidden=\"true\"></span><span>")
	w.c("site.name")
	w.raw("</span></a>\n    <details class=\"lang-switch\">\n      <summary>" + langIcon + " ")
	w.c("layout.language")
	w.raw(": <span lang=\"" + code + "\">")
	w.text(v.L.Language().Name)
	w.raw("</span></summary>\n      <nav aria-label=\"")
	w.c("layout.language_nav")
	w.raw("\">\n        <ul>")
	w.raw(string(v.LangMenu()))
	w.raw("\n        </ul>\n      </nav>\n    </details>\n  </div>")
	if u := v.User; u != nil {
		w.raw("\n  <nav class=\"main-nav\" aria-label=\"")
		w.c("layout.main_nav")
		w.raw("\">\n    <div class=\"container main-nav-bar\">\n      <ul>")
		if u.Staff {
			w.raw("\n        <li><a href=\"/" + code + "/medewerker\">")
			w.c("staff.title")
			w.raw("</a></li>\n        <li><a href=\"/" + code + "/medewerker/afspraken\">")
			w.c("staff_afspraak.title")
			w.raw("</a></li>")
		} else {
			w.raw("\n        <li><a href=\"/" + code + "/mijn\">")
			w.c("overview.title")
			w.raw("</a></li>\n        <li><a href=\"/" + code + "/mijn/berichten\">")
			w.c("inbox.title")
			w.raw("</a></li>\n        <li><a href=\"/" + code + "/mijn/afspraken\">")
			w.c("afspraak.nav")
			w.raw("</a></li>")
		}
		w.raw("\n      </ul>\n      <form method=\"post\" action=\"/" + code + "/uitloggen\" class=\"logout\">\n        <input type=\"hidden\" name=\"_csrf\" value=\"")
		w.text(v.CSRF)
		w.raw("\">\n        <span class=\"who\"><bdi translate=\"no\" dir=\"auto\">")
		w.text(u.Name)
		w.raw("</bdi></span>\n        <button type=\"submit\" class=\"button-link\">")
		w.c("layout.logout")
		w.raw("</button>\n      </form>\n    </div>\n  </nav>")
	}
	w.raw("\n</header>\n<main id=\"inhoud\" class=\"container\" tabindex=\"-1\">")
	if v.Back != "" {
		w.raw("\n  <a class=\"back-link\" href=\"" + v.Back + "\">")
		w.c("layout.back")
		w.raw("</a>")
	}
	if len(v.Errors) > 0 {
		w.raw("\n  <div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n    <h2 id=\"error-summary-title\">")
		w.c("error.summary_title")
		w.raw("</h2>\n    <ul>")
		for _, e := range v.Errors {
			w.raw("\n      <li><a href=\"#" + e.Field + "\">")
			w.text(e.Message)
			w.raw("</a></li>")
		}
		w.raw("\n    </ul>\n  </div>")
	}
	if v.Restored() {
		w.raw("\n  <div class=\"notice\" role=\"status\"><p>")
		w.c("session.kept_restored")
		w.raw("</p></div>")
	}
	w.raw("\n")
	w.raw(string(v.main))
	w.raw("\n</main>\n<footer class=\"site-footer\">\n  <div class=\"container\">")
	if u := v.User; u != nil {
		minutes := v.Number(u.SessionMinutes)
		w.raw("\n    <p class=\"session-note\">")
		w.text(v.T("session.note", "Minutes", minutes))
		w.raw("</p>\n    <dialog id=\"session-warning\" class=\"session-warning\" aria-labelledby=\"session-warning-title\" data-session-left=\"")
		w.text(u.SessionLeft)
		w.raw("\">\n      <h2 id=\"session-warning-title\" data-session-state=\"warn\">")
		w.c("session.warning_title")
		w.raw("</h2>\n      <p data-session-state=\"warn\">")
		w.c("session.warning_text")
		w.raw("</p>\n      <h2 id=\"session-ended-title\" data-session-state=\"ended\" hidden>")
		w.c("session.ended_title")
		w.raw("</h2>\n      <p data-session-state=\"ended\" hidden>")
		w.text(v.T("session.ended", "Minutes", minutes))
		w.raw("</p>\n      <form method=\"post\" action=\"/" + code + "/sessie/verlengen\">\n        <input type=\"hidden\" name=\"_csrf\" value=\"")
		w.text(v.CSRF)
		w.raw("\">\n        <input type=\"hidden\" name=\"terug\" value=\"")
		w.text(v.Path)
		w.raw("\">\n        <button type=\"submit\" class=\"button\"><span data-session-state=\"warn\">")
		w.c("session.extend")
		w.raw("</span><span data-session-state=\"ended\" hidden>")
		w.c("session.login_again")
		w.raw("</span></button>\n      </form>\n    </dialog>")
	}
	w.raw("\n    <ul>\n      <li><a href=\"/" + code + "/toegankelijkheid\">")
	w.c("a11y.title")
	w.raw("</a></li>\n      <li><a href=\"/v2/openapi.json\">")
	w.c("layout.api")
	w.raw("</a></li>\n    </ul>\n    <p>")
	w.c("layout.footer_note")
	w.raw("</p>\n  </div>\n</footer>\n</body>\n</html>\n")
}

// langIcon is the language switcher's icon, as the layout holds it.
const langIcon = `<svg class="lang-icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2"/><path d="M2 12h20M12 2c3 3 4.5 6.5 4.5 10S15 19 12 22c-3-3-4.5-6.5-4.5-10S9 5 12 2z" fill="none" stroke="currentColor" stroke-width="2"/></svg>`

// layoutPlain reports whether layoutMain may render v's layout: the language's code and
// direction are letters; the static files' URLs are paths of URL-safe characters; the base URL
// is empty or http(s) and, like the page's path and back link, holds only characters that
// html/template's URL normalizer and attribute escaper leave as they are; every error's field
// is such a fragment. Anything else is left to the template, which escapes it.
func layoutPlain(v *View) bool {
	if !onlyLetters(v.L.Code()) || !onlyLetters(v.L.Dir()) {
		return false
	}
	for _, f := range [...]string{"app.css", "app.js", "favicon.svg"} {
		if !onlyURLSafe(v.Static(f)) {
			return false
		}
	}
	base := v.BaseURL
	if s, ok := strings.CutPrefix(base, "https://"); ok {
		base = s
	} else if s, ok := strings.CutPrefix(base, "http://"); ok {
		base = s
	} else if base != "" {
		return false
	}
	if !plainURL(base, ":") || !plainURL(v.Path, "") || !strings.HasPrefix(v.Path, "/") && v.Path != "" ||
		!plainURL(v.Back, "") || !strings.HasPrefix(v.Back, "/") && v.Back != "" {
		return false
	}
	for _, e := range v.Errors {
		if !plainURL(e.Field, "") || strings.Contains(e.Field, "/") {
			return false
		}
	}
	return true
}

// plainURL reports whether s holds only letters, digits, '/', '.', '-', '_', '~' and the bytes
// of extra: characters html/template writes unchanged in a URL attribute.
func plainURL(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !(c >= '0' && c <= '9') && !strings.ContainsRune("/.-_~", rune(c)) && !strings.ContainsRune(extra, rune(c)) {
			return false
		}
	}
	return true
}
