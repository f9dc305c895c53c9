package portal

import (
	"fmt"
	"html/template"
	"time"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// FieldError is one inline error, linked from the error summary.
type FieldError struct {
	Field   string // the input's id
	Message string
}

// User is who is logged in, as the layout shows it.
type User struct {
	Name           string
	Staff          bool
	SessionLeft    int // seconds until the session ends without activity (app.js warns before)
	SessionMinutes int // the idle timeout, for the page's note
}

// View is what every template gets. Its methods translate and format in the request's language,
// so templates are shared between requests without per-request function maps.
type View struct {
	L         *i18n.Localizer
	Languages []i18n.Language
	Path      string // the path after the language prefix, for the language switcher
	BaseURL   string // the public URL, for canonical and alternate links
	CSRF      string
	User      *User
	Demo      bool
	Static    func(string) string
	TitleID   string
	Errors    []FieldError
	Back      string // href of the back link, if any
	Data      any
	Today     domain.Date        // the Amsterdam date of the request, for advice that depends on the day
	Policies  domain.PolicyTable // the amounts and periods in force, for texts that name them
	kept      *keptForm          // a form kept across the login, shown again on this page (kept.go)
}

// T translates id; kv are template data as key, value pairs.
func (v *View) T(id string, kv ...any) string { return v.L.T(id, pairs(kv)) }

// TM translates id with a ready map of template data.
func (v *View) TM(id string, data map[string]any) string { return v.L.T(id, data) }

// N translates id with plural forms for count.
func (v *View) N(id string, count int, kv ...any) string { return v.L.N(id, count, pairs(kv)) }

// TH translates id and marks it safe HTML; used only for messages whose text holds markup we wrote
// (no user data is ever passed as kv here).
func (v *View) TH(id string, kv ...any) template.HTML { return template.HTML(v.L.T(id, pairs(kv))) }

// Legal shows the Dutch legal term beside its translation (letters people receive are in Dutch);
// on Dutch pages it shows nothing.
func (v *View) Legal(term string) template.HTML {
	if v.L.Code() == "nl" {
		return ""
	}
	return template.HTML(`<span class="legal-term" lang="nl" dir="ltr" translate="no">(` + template.HTMLEscapeString(term) + `)</span>`)
}

// Money formats euro cents.
func (v *View) Money(c domain.Cents) string { return v.L.Money(int64(c)) }

// Date formats a calendar date; an empty string for nil.
func (v *View) Date(d any) string {
	switch x := d.(type) {
	case domain.Date:
		return v.L.Date(x.Year, x.Month, x.Day)
	case *domain.Date:
		if x == nil {
			return ""
		}
		return v.L.Date(x.Year, x.Month, x.Day)
	}
	return fmt.Sprint(d)
}

// DateTime formats an instant.
func (v *View) DateTime(t time.Time) string { return v.L.DateTime(t) }

// Number formats an integer.
func (v *View) Number(n int) string { return v.L.Number(int64(n)) }

// HasError reports whether field has an inline error.
func (v *View) HasError(field string) bool {
	for _, e := range v.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// ErrorFor returns field's inline error message.
func (v *View) ErrorFor(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// Pct returns done/required as a whole percentage for progress bars (0..100).
func (v *View) Pct(done, required int) int {
	if required <= 0 {
		return 0
	}
	return min(100, done*100/required)
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}
