package i18n_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

func file(name, dir, digits, group, decimal, money, date string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(`"meta.name" = "` + name + `"
"meta.dir" = "` + dir + `"
"format.digits" = "` + digits + `"
"format.group" = "` + group + `"
"format.decimal" = "` + decimal + `"
"format.money" = "` + money + `"
"format.date" = "` + date + `"
"format.datetime" = "{{.Date}} {{.Time}}"
"month.3" = "M3"
"month.12" = "M12"
"n.items" = { one = "{{.Count}} one", other = "{{.Count}} other" }
`)}
}

func testBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load(fstest.MapFS{
		"nl.toml": file("Nederlands", "ltr", "latn", ".", ",", "€ {{.Amount}}", "{{.Day}} {{.Month}} {{.Year}}"),
		"en.toml": file("English", "ltr", "latn", ",", ".", "€{{.Amount}}", "{{.Day}} {{.Month}} {{.Year}}"),
		"ar.toml": file("العربية", "rtl", "arab", "٬", "٫", "{{.Amount}} €", "{{.Day}} {{.Month}} {{.Year}}"),
		"fa.toml": file("فارسی", "rtl", "arabext", "٬", "٫", "{{.Amount}} یورو", "{{.Day}} {{.Month}} {{.Year}}"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFormatting(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang               string
		number, money, day string
	}{
		{"nl", "1.234.567", "€ 9.650,05", "3 M3 2026"},
		{"en", "1,234,567", "€9,650.05", "3 M3 2026"},
		// Right-to-left languages isolate amounts and dates (FSI … PDI) so they never scramble a sentence.
		{"ar", "١٬٢٣٤٬٥٦٧", "\u2068٩٬٦٥٠٫٠٥ €\u2069", "\u2068٣ M3 ٢٠٢٦\u2069"},
		{"fa", "۱٬۲۳۴٬۵۶۷", "\u2068۹٬۶۵۰٫۰۵ یورو\u2069", "\u2068۳ M3 ۲۰۲۶\u2069"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			l, ok := b.Lookup(tt.lang)
			if !ok {
				t.Fatal("missing")
			}
			if got := l.Number(1234567); got != tt.number {
				t.Errorf("Number = %q, want %q", got, tt.number)
			}
			if got := l.Money(965005); got != tt.money {
				t.Errorf("Money = %q, want %q", got, tt.money)
			}
			if got := l.Date(2026, time.March, 3); got != tt.day {
				t.Errorf("Date = %q, want %q", got, tt.day)
			}
		})
	}
	nl, _ := b.Lookup("nl")
	for cents, want := range map[int64]string{0: "€ 0,00", 5: "€ 0,05", 100: "€ 1,00", -125000: "€ -1.250,00", 99999999: "€ 999.999,99"} {
		if got := nl.Money(cents); got != want {
			t.Errorf("Money(%d) = %q, want %q", cents, got, want)
		}
	}
	if got := nl.N("n.items", 1); got != "1 one" {
		t.Errorf("plural one: %q", got)
	}
	if got := nl.N("n.items", 1000); got != "1.000 other" {
		t.Errorf("plural other: %q", got)
	}
	if got := nl.T("does.not.exist"); got != "[does.not.exist]" {
		t.Errorf("missing message renders %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	b := testBundle(t)
	tests := map[string]string{
		"":                        "nl",
		"en":                      "en",
		"en-GB,en;q=0.9":          "en",
		"ar-SY":                   "ar",
		"fa-AF":                   "fa", // Dari readers get Farsi
		"de-DE,de;q=0.9,en;q=0.5": "en",
		"zz":                      "nl",
		"*":                       "nl",
		";;;,,,q=":                "nl",
		"nl-BE":                   "nl",
		"fr-FR;q=0.1,ar;q=0.9":    "ar",
	}
	for header, want := range tests {
		if got := b.Negotiate(header).Code(); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
	if l, _ := b.Lookup("ar"); l.Dir() != "rtl" {
		t.Errorf("ar dir %s", l.Dir())
	}
}

func FuzzNegotiate(f *testing.F) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "en", "ar-SY,ar;q=0.9", "*;q=0", "x-klingon", "en;q=abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		l := b.Negotiate(header)
		if _, ok := b.Lookup(l.Code()); !ok {
			t.Fatalf("negotiated unavailable language %q", l.Code())
		}
	})
}

// TestNegotiateShippedLanguages: the readers' own Accept-Language reaches their file.
func TestNegotiateShippedLanguages(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"ar-SY,ar;q=0.9": "ar", "prs": "fa", "fa-AF": "fa", "fa-IR": "fa", "ps-AF": "ps", "ti-ER": "ti",
		"tr-TR": "tr", "so-SO": "so", "fr-BE": "fr", "nl-NL": "nl", "en-US": "en", "de": "nl",
	}
	for header, want := range tests {
		if got := b.Negotiate(header).Code(); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
	rtl := map[string]bool{"ar": true, "fa": true, "ps": true}
	for _, l := range b.Languages() {
		if want := map[bool]string{true: "rtl", false: "ltr"}[rtl[l.Code]]; l.Dir != want {
			t.Errorf("%s: dir %s, want %s", l.Code, l.Dir, want)
		}
	}
	if n := len(b.Languages()); n != 9 {
		t.Errorf("%d languages, want the nine of the issue", n)
	}
}

// TestMessageParams: stored letter parameters are formatted by their key's convention, and
// isolated on right-to-left pages.
func TestMessageParams(t *testing.T) {
	b := testBundle(t)
	params := map[string]string{"Bedrag": "125000", "Reactiedatum": "2026-12-13", "Kenmerk": "BV-2026-1187", "Datum": "nope"}
	nl, _ := b.Lookup("nl")
	got := nl.MessageParams(params)
	want := map[string]any{"Bedrag": "€ 1.250,00", "Reactiedatum": "13 M12 2026", "Kenmerk": "BV-2026-1187", "Datum": "nope"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("nl %s = %q, want %q", k, got[k], v)
		}
	}
	ar, _ := b.Lookup("ar")
	if got := ar.MessageParams(params)["Kenmerk"]; got != "\u2068BV-2026-1187\u2069" {
		t.Errorf("ar reference %q is not isolated", got)
	}
}

// TestMessageParamsMonths: a count of months in a letter reads with its plural form in every
// shipped language ("1 maand", never "1 maanden"; the Arabic dual without a numeral).
func TestMessageParamsMonths(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, in, want string
	}{
		{"nl", "1", "1 maand"}, {"nl", "24", "24 maanden"},
		{"en", "1", "1 month"}, {"en", "6", "6 months"},
		{"ar", "2", "شهران"}, {"ar", "3", "3 أشهر"}, {"ar", "24", "24 شهرًا"},
		{"nl", "x", "x"}, // not a count: left as text
	}
	for _, tc := range tests {
		l, _ := b.Lookup(tc.lang)
		if got := l.MessageParams(map[string]string{"Maanden": tc.in})["Maanden"]; got != tc.want {
			t.Errorf("%s Maanden=%s: %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// TestNumericDates: a language whose month names are numbers writes whole numeric dates (two-digit
// day and month, in its own digits), in its own order; one with names keeps its one-digit day.
func TestNumericDates(t *testing.T) {
	numeric := func(name, dir, digits, date string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`"meta.name" = "` + name + `"
"meta.dir" = "` + dir + `"
"format.digits" = "` + digits + `"
"format.group" = ","
"format.decimal" = "."
"format.money" = "€{{.Amount}}"
"format.date" = "` + date + `"
"format.datetime" = "{{.Date}} {{.Time}}"
"month.3" = "03"
"month.12" = "12"
"n.items" = { one = "{{.Count}} one", other = "{{.Count}} other" }
`)}
	}
	b, err := i18n.Load(fstest.MapFS{
		"nl.toml": file("Nederlands", "ltr", "latn", ".", ",", "€ {{.Amount}}", "{{.Day}} {{.Month}} {{.Year}}"),
		"fa.toml": numeric("فارسی", "rtl", "latn", "{{.Year}}/{{.Month}}/{{.Day}}"),
		"ps.toml": numeric("پښتو", "rtl", "arabext", "{{.Year}}/{{.Month}}/{{.Day}}"),
		"ti.toml": numeric("ትግርኛ", "ltr", "latn", "{{.Day}}/{{.Month}}/{{.Year}}"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"nl": "3 M3 2026",
		"fa": "\u20682026/03/03\u2069",
		"ps": "\u2068۲۰۲۶/۰۳/۰۳\u2069",
		"ti": "03/03/2026",
	} {
		l, _ := b.Lookup(lang)
		if got := l.Date(2026, time.March, 3); got != want {
			t.Errorf("%s: Date = %q, want %q", lang, got, want)
		}
	}
	ti, _ := b.Lookup("ti")
	if got := ti.Date(2026, time.December, 24); got != "24/12/2026" {
		t.Errorf("ti: Date = %q", got)
	}
}

// TestLimitsArePlural: a violation's limit ("Count") picks the plural form, so no "1 tekens" and no
// Arabic numeral beside the singular or dual; a Count on a message without plural forms is just a
// parameter.
func TestLimitsArePlural(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang  string
		count int
		want  string
	}{
		{"nl", 1, "Gebruik hier niet meer dan 1 teken."},
		{"nl", 20, "Gebruik hier niet meer dan 20 tekens."},
		{"en", 1, "Use no more than 1 character here."},
		{"en", 500, "Use no more than 500 characters here."},
		{"ar", 1, "عدد الأحرف هنا: حرف واحد على الأكثر."},
		{"ar", 2, "عدد الأحرف هنا: حرفان على الأكثر."},
	} {
		l, _ := b.Lookup(tt.lang)
		if got := l.T("error.field_too_long", map[string]any{"Count": tt.count}); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.count, got, tt.want)
		}
	}
	nl, _ := b.Lookup("nl")
	if got := nl.T("error.invalid_input", map[string]any{"Count": 3}); strings.HasPrefix(got, "[") {
		t.Errorf("a Count on a plain message broke it: %q", got)
	}
}

// TestFillEqualsGoI18n: for every message of every language, T (which fills {{.Key}} itself
// where it can, and caches messages without data) gives what go-i18n gives, with data of the
// kinds the portal passes: strings, a string type of its own, ints, and a key left out.
func TestFillEqualsGoI18n(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	type fixed string
	keys := regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)
	src, _ := fs.ReadFile(locales.FS, "nl.toml")
	checked := 0
	for _, l := range b.Languages() {
		loc, _ := b.Lookup(l.Code)
		for _, id := range b.IDs[l.Code] {
			data := map[string]any{}
			for i, m := range keys.FindAllStringSubmatch(string(src), -1) {
				switch i % 3 {
				case 0:
					data[m[1]] = "a & <b> " + m[1]
				case 1:
					data[m[1]] = fixed("\uE000" + m[1] + "\uE001")
				default:
					data[m[1]] = i * 1001
				}
			}
			delete(data, "Count") // a Count selects plural forms: N's path, not fill's
			for _, d := range []map[string]any{nil, data, {"Other": "x"}} {
				got := loc.T(id, d)
				want := i18n.GoI18n(loc, id, d)
				if got != want {
					t.Fatalf("%s %s with %v:\n got  %q\n want %q", l.Code, id, d, got, want)
				}
				checked++
			}
		}
	}
	if checked < 3000 {
		t.Fatalf("only %d translations compared", checked)
	}
}
