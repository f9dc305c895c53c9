package portal

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"

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
	b      *strings.Builder
	v      *View
	consts *sync.Map // message ID → its escaped translation in v's language (constant text)
}

func (w *pageWriter) raw(s string) { w.b.WriteString(s) }

// text writes x as {{x}} prints in text or in a quoted attribute that is not a URL, script or
// style (both escape plain text the same way).
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

// c writes the translation of a constant message ID, as {{.T "id"}} prints it.
func (w *pageWriter) c(id string) {
	if s, ok := w.consts.Load(id); ok {
		w.b.WriteString(s.(string))
		return
	}
	var b strings.Builder
	htmlEscaper.WriteString(&b, w.v.L.T(id))
	w.consts.Store(id, b.String())
	w.b.WriteString(b.String())
}

// legal writes {{.Legal term}}.
func (w *pageWriter) legal(term string) { w.b.WriteString(string(w.v.Legal(term))) }

// htmlEscaper escapes as html/template does in text and quoted attributes (its
// htmlReplacementTable): NUL, ", &, ', +, < and >.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

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
