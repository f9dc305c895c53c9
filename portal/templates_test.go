package portal_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var (
	action    = regexp.MustCompile(`(?s){{.*?}}`)
	comment   = regexp.MustCompile(`(?s)<!--.*?-->`)
	tag       = regexp.MustCompile(`(?s)<[^>]*>`)
	attribute = regexp.MustCompile(`\b(alt|title|placeholder|aria-label|aria-description)="([^"{]*)"`)
)

// TestTemplatesHaveNoLiteralText fails when a template holds visible text that does not come from
// a message: everything a reader sees goes through go-i18n, in every language.
func TestTemplatesHaveNoLiteralText(t *testing.T) {
	err := filepath.WalkDir("templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		src := comment.ReplaceAllString(string(b), "")
		// Attributes that are read aloud or shown must not hold literal words either.
		for _, m := range attribute.FindAllStringSubmatch(action.ReplaceAllString(src, "X"), -1) {
			if hasWords(m[2]) && m[2] != "X" {
				t.Errorf("%s: attribute %s has literal text %q", p, m[1], m[2])
			}
		}
		text := tag.ReplaceAllString(action.ReplaceAllString(src, " "), " ")
		for _, line := range strings.Split(text, "\n") {
			if hasWords(line) {
				t.Errorf("%s: literal text %q", p, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hasWords reports whether s holds a letter or digit, i.e. something that reads as text.
// Punctuation such as "–" or "(" between messages is allowed.
func hasWords(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

var physical = regexp.MustCompile(`(?m)(?:^|[\s;{])((?:margin|padding|border)-(?:left|right)(?:-[a-z]+)?|(?:left|right)\s*:|(?:text-align|float|clear)\s*:\s*(?:left|right))`)

// TestStylesheetUsesLogicalProperties: one stylesheet serves left-to-right and right-to-left pages
// only when it never says left or right.
func TestStylesheetUsesLogicalProperties(t *testing.T) {
	files, err := filepath.Glob("static/*.css")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stylesheets: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		css := comment.ReplaceAllString(regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(b), ""), "")
		for _, m := range physical.FindAllStringSubmatch(css, -1) {
			t.Errorf("%s: physical property %q; use the logical one (inline-start/end)", f, m[1])
		}
	}
}
