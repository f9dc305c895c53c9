package i18n

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Localizer translates and formats for one language. It is safe for concurrent use.
type Localizer struct {
	loc    *goi18n.Localizer
	lang   Language
	digits []rune // the ten digits this language writes numbers with (format.digits)
	// raw holds the text of every message of this language that has no plural forms. T fills
	// in its {{.Key}} actions itself (fill) instead of go-i18n, which matches the language and
	// runs text/template on every call; plain caches the translations of messages without data.
	raw   map[string]string
	plain sync.Map // message ID → translation without data
}

// digitSets are the numbering systems a message file may choose with format.digits (CLDR names).
var digitSets = map[string][]rune{
	"latn":    []rune("0123456789"),
	"arab":    []rune("٠١٢٣٤٥٦٧٨٩"),
	"arabext": []rune("۰۱۲۳۴۵۶۷۸۹"),
}

// localDigits writes the ASCII digits of s in the language's digits.
func (l *Localizer) localDigits(s string) string {
	if l.digits == nil || l.digits[0] == '0' {
		return s
	}
	out := []rune(s)
	for i, r := range out {
		if r >= '0' && r <= '9' {
			out[i] = l.digits[r-'0']
		}
	}
	return string(out)
}

func newLocalizer(b *goi18n.Bundle, l Language, raw map[string]string) *Localizer {
	loc := &Localizer{loc: goi18n.NewLocalizer(b, l.Tag.String()), lang: l, raw: raw}
	loc.digits = digitSets[loc.T("format.digits")]
	return loc
}

// Language returns the localizer's language.
func (l *Localizer) Language() Language { return l.lang }

// Code is the language code ("nl", "ar", …).
func (l *Localizer) Code() string { return l.lang.Code }

// Dir is "ltr" or "rtl".
func (l *Localizer) Dir() string { return l.lang.Dir }

// T translates message id with optional template data. A missing message returns the ID in
// brackets, so a gap is visible (and the completeness test fails first).
//
// Data with an int "Count" (a violation's limit, say) selects the CLDR plural form, as N does.
func (l *Localizer) T(id string, data ...map[string]any) string {
	if len(data) > 0 {
		if n, ok := data[0]["Count"].(int); ok {
			if s := l.N(id, n, data[0]); !strings.HasPrefix(s, "[") {
				return s
			}
			// Not a plural message: the count is an ordinary parameter.
		}
	}
	if len(data) == 0 || data[0] == nil {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
		s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id})
		if err != nil {
			return "[" + id + "]"
		}
		l.plain.Store(id, s)
		return s
	}
	if src, ok := l.raw[id]; ok {
		if s, ok := fill(src, data[0]); ok {
			return s
		}
	}
	return l.goi18n(id, data[0])
}

// goi18n translates id with data through go-i18n.
func (l *Localizer) goi18n(id string, data map[string]any) string {
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

// fill puts data into the {{.Key}} actions of a message's text as go-i18n's text/template
// prints them. It reports false for anything it does not copy exactly — another kind of
// action, a key data lacks, a nil, a pointer, a function or a channel — which go-i18n then
// does (TestFillEqualsGoI18n holds the two equal for every message of every language).
func fill(src string, data map[string]any) (string, bool) {
	i := strings.Index(src, "{{")
	if i < 0 {
		return src, true
	}
	var b strings.Builder
	b.Grow(len(src) + 32)
	for i >= 0 {
		b.WriteString(src[:i])
		end := strings.Index(src[i:], "}}")
		if end < 0 {
			return "", false
		}
		action := strings.TrimSpace(src[i+2 : i+end])
		key, ok := strings.CutPrefix(action, ".")
		if !ok || key == "" || !isIdent(key) {
			return "", false
		}
		v, ok := data[key]
		if !ok {
			return "", false
		}
		switch x := v.(type) {
		case string:
			b.WriteString(x)
		case int:
			b.WriteString(strconv.Itoa(x))
		case nil:
			return "", false
		default:
			switch reflect.TypeOf(v).Kind() {
			case reflect.Pointer, reflect.Func, reflect.Chan, reflect.Interface:
				return "", false
			}
			b.WriteString(fmt.Sprint(v))
		}
		src = src[i+end+2:]
		i = strings.Index(src, "{{")
	}
	b.WriteString(src)
	return b.String(), true
}

// isIdent reports whether s is a Go identifier of ASCII letters, digits and underscores.
func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// N translates message id with CLDR plural forms for count; data gets Count set to the formatted count.
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	d := map[string]any{}
	if len(data) > 0 {
		for k, v := range data[0] {
			d[k] = v
		}
	}
	d["Count"] = l.Number(int64(count))
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

// Isolate marks s as a run of its own direction (U+2068 FIRST STRONG ISOLATE … U+2069 POP
// DIRECTIONAL ISOLATE) on right-to-left languages, so that an amount, a date or a reference
// inside a sentence never scrambles it, in HTML and in plain text alike. Left-to-right
// languages get s unchanged.
func (l *Localizer) Isolate(s string) string {
	if l.lang.Dir != "rtl" || s == "" {
		return s
	}
	return "\u2068" + s + "\u2069"
}

// Number formats an integer with the language's group separator (format.group).
func (l *Localizer) Number(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	group := l.T("format.group")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	return l.localDigits(out)
}

// Money formats euro cents per language (format.money, format.decimal, format.group).
func (l *Localizer) Money(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	amount := l.Number(cents/100) + l.T("format.decimal") + l.localDigits(fmt.Sprintf("%02d", cents%100))
	if neg {
		amount = "-" + amount
	}
	return l.Isolate(l.T("format.money", map[string]any{"Amount": amount}))
}

// Date formats a calendar date per language (format.date with month.N names).
//
// A language whose month names are numbers (month.3 = "03": fa and ti, whose readers use more
// than one calendar and set of month names; see locales/README.md) gets numeric dates: the day
// has two digits as well, and both are written in the language's digits.
func (l *Localizer) Date(year int, month time.Month, day int) string {
	m := l.T(fmt.Sprintf("month.%d", int(month)))
	d := strconv.Itoa(day)
	if m != "" && strings.Trim(m, "0123456789") == "" {
		d, m = fmt.Sprintf("%02d", day), l.localDigits(m)
	}
	return l.isolateT("format.date", map[string]any{
		"Day": l.localDigits(d), "Month": m, "Year": l.localDigits(strconv.Itoa(year)),
	})
}

// DateTime formats an instant in Europe/Amsterdam as date and time.
func (l *Localizer) DateTime(t time.Time) string {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err == nil {
		t = t.In(loc)
	}
	return l.isolateT("format.datetime", map[string]any{
		"Date": l.Date(t.Year(), t.Month(), t.Day()), "Time": l.localDigits(t.Format("15:04")),
	})
}

func (l *Localizer) isolateT(id string, data map[string]any) string { return l.Isolate(l.T(id, data)) }

// MessageParams formats the stored parameters of a message (an inbox letter) for the reader, by
// the convention of domain.Bericht: a key ending in "Bedrag" holds euro cents, a key ending in
// "datum" or "Datum" a calendar date (YYYY-MM-DD), a key ending in "Maanden" a count of months
// (written with the plural message term.months); anything else is text, such as a reference,
// and is isolated on right-to-left pages.
func (l *Localizer) MessageParams(params map[string]string) map[string]any {
	out := make(map[string]any, len(params))
	for k, v := range params {
		switch {
		case strings.HasSuffix(k, "Bedrag"):
			if cents, err := strconv.ParseInt(v, 10, 64); err == nil {
				out[k] = l.Money(cents)
				continue
			}
		case strings.HasSuffix(k, "Maanden"):
			// A count of months reads with its plural form ("1 maand", "24 maanden").
			if n, err := strconv.Atoi(v); err == nil {
				out[k] = l.N("term.months", n)
				continue
			}
		case strings.HasSuffix(k, "datum") || strings.HasSuffix(k, "Datum"):
			if d, err := time.Parse(time.DateOnly, v); err == nil {
				out[k] = l.Date(d.Year(), d.Month(), d.Day())
				continue
			}
		}
		out[k] = l.Isolate(v)
	}
	return out
}
