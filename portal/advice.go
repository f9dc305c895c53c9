package portal

import (
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// Advice is one sentence that tells the reader what to do, with the message that says it. A
// sentence that advises acting by a date carries that date in By, so the page can mark it
// (data-advice-date) and a test can check that no advice ever names a day that has passed.
type Advice struct {
	ID     string
	Params map[string]any
	By     *domain.Date // the date the advice asks to act by; nil when it names none
}

// ByISO is By as YYYY-MM-DD, or "" when the advice names no date.
func (a Advice) ByISO() string {
	if a.By == nil {
		return ""
	}
	return a.By.String()
}

// exams reports whether the person's obligation still includes exams: the Z-route has none (§4).
func exams(o app.Overview) bool {
	return o.PIP == nil || o.PIP.Route != domain.RouteZ
}

// SafeDateAhead reports whether the last safe day to register for an exam is today or later, so
// the page may still advise it. It is false when there are no exams (Z-route) or no such day.
func (v *View) SafeDateAhead(o app.Overview) bool {
	d := o.Term.LastSafeExamRegistration
	return d != nil && exams(o) && !d.Before(o.Today)
}

// ResultWeeks is the number of whole weeks between the last safe registration day and the end
// of the term: how long registration, sitting and result can take together under the policy in
// force (the figure the last safe day is computed from).
func (v *View) ResultWeeks(o app.Overview) int {
	if o.Term.LastSafeExamRegistration == nil || o.Term.End == nil {
		return 0
	}
	return o.Term.LastSafeExamRegistration.DaysUntil(*o.Term.End) / 7
}

// TermNext is the "what to do now" advice for the term, true on the day it is read: it names
// the safe exam registration date only while that date lies ahead, never offers exams on the
// Z-route, and sends Wi2007 readers to their gemeente, which enforces that law.
func (v *View) TermNext(o app.Overview) Advice {
	t := o.Term
	switch t.State {
	case domain.TermRunning, domain.TermFinalYear:
		state := string(t.State)
		switch {
		case !exams(o):
			return Advice{ID: "term.next.z_route"}
		case v.SafeDateAhead(o):
			return Advice{ID: "term.next." + state, Params: map[string]any{"SafeDate": v.Date(t.LastSafeExamRegistration)}, By: t.LastSafeExamRegistration}
		default:
			return Advice{ID: "term.next.safe_passed", Params: map[string]any{"SafeDate": v.Date(t.LastSafeExamRegistration), "End": v.Date(t.End)}}
		}
	case domain.TermExpired:
		if o.Regime == domain.Wi2007 {
			return Advice{ID: "term.next.verlopen_wi2007"}
		}
		return Advice{ID: "term.next.verlopen"}
	}
	return Advice{ID: "term.next." + string(t.State)}
}

// DaysLeft says how much of the term is left, in a sentence that never reads "0 days": on the
// last day of the term it says so.
func (v *View) DaysLeft(o app.Overview) string {
	if v.lastDay(o) {
		return v.Text("term.last_day")
	}
	return v.NText("term.days_left", o.Term.DaysLeft)
}

// Days is the days left as a figure ("610 days"), or the last-day sentence on the last day.
func (v *View) Days(o app.Overview) string {
	if v.lastDay(o) {
		return v.Text("term.last_day")
	}
	return v.NText("term.days", o.Term.DaysLeft)
}

func (v *View) lastDay(o app.Overview) bool {
	return o.Term.End != nil && !o.Term.End.After(o.Today)
}

// Months is a count of months for a table cell or figure; none reads as a word, not "0 months".
func (v *View) Months(n int) string {
	if n == 0 {
		return v.Text("term.months_none")
	}
	return v.NText("term.months", n)
}

// Unread is the unread-messages sentence; none reads as a sentence, not "0 new messages".
func (v *View) Unread(n int) string {
	if n == 0 {
		return v.Text("inbox.unread_none")
	}
	return v.NText("inbox.unread", n)
}

// ELIP returns the thresholds of the early warnings (§5) from the policy in force today, as
// template data for the warning messages, so no amount is written into a text.
func (v *View) ELIP(o app.Overview) map[string]any {
	p := v.Policies.At(o.Today)
	return map[string]any{
		"High": v.Money(p.ELIPHighUsed), "Mid": v.Money(p.ELIPMidUsed),
		"Months": v.NText("term.months", p.ELIPMidMonthsLeft),
	}
}

// ReplyPassed reports whether a letter's reply date (parameter Reactiedatum) lies before today.
func (v *View) ReplyPassed(b domain.Bericht) bool { return b.ReplyPassed(v.Today) }

// ReplyBy is a letter's reply date as YYYY-MM-DD while it lies ahead, for data-advice-date.
func (v *View) ReplyBy(b domain.Bericht) string {
	d, ok := b.ReplyDate()
	if !ok || b.ReplyPassed(v.Today) {
		return ""
	}
	return d.String()
}
