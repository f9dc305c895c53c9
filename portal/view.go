package portal

import (
	"fmt"
	"html/template"
	"maps"
	"strconv"
	"strings"
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
	main      template.HTML      // the page's own content, rendered before the layout (execPage)
	head      template.HTML      // what the page adds to <head>, if anything
}

// MainHTML is the page's content, for the layout.
func (v *View) MainHTML() template.HTML { return v.main }

// HeadHTML is what the page adds to <head>, for the layout.
func (v *View) HeadHTML() template.HTML { return v.head }

// Fixed is a value a browser's page translator must leave as it is: a date, an amount, a time, a
// reference, a name. Inside a translated sentence (T, N, TM) it is wrapped in
// <span translate="no">; on its own it prints as the plain text it is.
type Fixed string

// Fix marks a value (a name, a reference) as Fixed.
func (v *View) Fix(x any) Fixed { return Fixed(fmt.Sprint(x)) }

// T translates id; kv are template data as key, value pairs. A sentence that holds Fixed values
// comes back as HTML with each of them in <span translate="no"> (everything escaped); any other
// sentence as plain text.
func (v *View) T(id string, kv ...any) any {
	return v.marked(pairs(kv), func(d map[string]any) string { return v.L.T(id, d) })
}

// TM translates id with a ready map of template data (Fixed values marked as in T).
func (v *View) TM(id string, data map[string]any) any {
	return v.marked(data, func(d map[string]any) string { return v.L.T(id, d) })
}

// N translates id with plural forms for count (Fixed values marked as in T).
func (v *View) N(id string, count int, kv ...any) any {
	return v.marked(pairs(kv), func(d map[string]any) string { return v.L.N(id, count, d) })
}

// Text, NText and TMText are T, N and TM as plain text, for Go code (error messages, files).
func (v *View) Text(id string, kv ...any) string { return v.L.T(id, pairs(kv)) }

// NText is N as plain text.
func (v *View) NText(id string, count int, kv ...any) string { return v.L.N(id, count, pairs(kv)) }

// TMText is TM as plain text.
func (v *View) TMText(id string, data map[string]any) string { return v.L.T(id, data) }

// MessageParams are a portal message's parameters, formatted for the language (i18n), with the
// dates, amounts, references and other values marked Fixed; a count of months stays translatable.
func (v *View) MessageParams(params map[string]string) map[string]any {
	out := v.L.MessageParams(params)
	for k, x := range out {
		if s, ok := x.(string); ok && !strings.HasSuffix(k, "Maanden") {
			out[k] = Fixed(s)
		}
	}
	return out
}

// Placeholders stand in for Fixed values while the message is translated: characters from the
// Unicode private use area, which no message and no escaping contains or changes.
const fixedOpen, fixedClose = "\uE000", "\uE001"

// marked translates with data; when data holds Fixed values, the result is HTML: the sentence
// escaped, each Fixed value escaped and wrapped in <span translate="no">.
func (v *View) marked(data map[string]any, tr func(map[string]any) string) any {
	var fixed []string
	for k, x := range data {
		if f, ok := x.(Fixed); ok {
			if fixed == nil {
				cp := make(map[string]any, len(data))
				maps.Copy(cp, data)
				data = cp
			}
			data[k] = fixedOpen + strconv.Itoa(len(fixed)) + fixedClose
			fixed = append(fixed, string(f))
		}
	}
	out := tr(data)
	if fixed == nil {
		return out
	}
	out = template.HTMLEscapeString(out)
	for i, f := range fixed {
		out = strings.ReplaceAll(out, fixedOpen+strconv.Itoa(i)+fixedClose, `<span translate="no">`+template.HTMLEscapeString(f)+`</span>`)
	}
	return template.HTML(out)
}

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
func (v *View) Money(c domain.Cents) Fixed { return Fixed(v.L.Money(int64(c))) }

// Date formats a calendar date; an empty string for nil.
func (v *View) Date(d any) Fixed {
	switch x := d.(type) {
	case domain.Date:
		return Fixed(v.L.Date(x.Year, x.Month, x.Day))
	case *domain.Date:
		if x == nil {
			return ""
		}
		return Fixed(v.L.Date(x.Year, x.Month, x.Day))
	}
	return Fixed(fmt.Sprint(d))
}

// DateTime formats an instant.
func (v *View) DateTime(t time.Time) Fixed { return Fixed(v.L.DateTime(t)) }

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
