package locales_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

// message is one entry of a message file: a string, or a table of CLDR plural forms.
type message map[string]string

func load(t *testing.T) map[string]map[string]message {
	t.Helper()
	files, err := fs.Glob(locales.FS, "*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files: %v", err)
	}
	out := map[string]map[string]message{}
	for _, f := range files {
		var raw map[string]any
		if _, err := toml.DecodeFS(locales.FS, f, &raw); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		msgs := map[string]message{}
		for id, v := range raw {
			switch x := v.(type) {
			case string:
				msgs[id] = message{"other": x}
			case map[string]any:
				m := message{}
				for form, s := range x {
					str, ok := s.(string)
					if !ok {
						t.Fatalf("%s: %s.%s is not a string", f, id, form)
					}
					m[form] = str
				}
				msgs[id] = m
			default:
				t.Fatalf("%s: %s has type %T", f, id, v)
			}
		}
		out[strings.TrimSuffix(f, ".toml")] = msgs
	}
	return out
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(m message) []string {
	set := map[string]bool{}
	for _, s := range m {
		for _, p := range placeholder.FindAllStringSubmatch(s, -1) {
			set[p[1]] = true
		}
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// TestEveryLanguageHasEveryMessage: no ID missing or extra in any language, and the same
// placeholders as Dutch, the reference language.
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	all := load(t)
	nl, ok := all["nl"]
	if !ok {
		t.Fatal("nl.toml is missing")
	}
	for lang, msgs := range all {
		for id, ref := range nl {
			m, ok := msgs[id]
			if !ok {
				t.Errorf("%s: missing %q", lang, id)
				continue
			}
			if got, want := placeholders(m), placeholders(ref); !slices.Equal(got, want) {
				t.Errorf("%s: %q has placeholders %v, nl has %v", lang, id, got, want)
			}
			for form, s := range m {
				// A separator may be a (narrow no-break) space; any other message needs visible text.
				if s == "" || strings.TrimSpace(s) == "" && !strings.HasPrefix(id, "format.") {
					t.Errorf("%s: %q form %s is empty", lang, id, form)
				}
			}
		}
		for id := range msgs {
			if _, ok := nl[id]; !ok {
				t.Errorf("%s: %q is not in nl.toml", lang, id)
			}
		}
	}
}

// TestPluralFormsFollowCLDR: a plural message has "other" and only forms the language uses.
func TestPluralFormsFollowCLDR(t *testing.T) {
	forms := map[string][]string{ // CLDR cardinal categories per language
		"nl": {"one", "other"}, "en": {"one", "other"}, "fr": {"one", "many", "other"}, "tr": {"one", "other"},
		"so": {"one", "other"}, "ti": {"one", "other"}, "ps": {"one", "other"}, "fa": {"one", "other"},
		"ar": {"zero", "one", "two", "few", "many", "other"},
	}
	for lang, msgs := range load(t) {
		allowed, ok := forms[lang]
		if !ok {
			t.Errorf("%s: add its CLDR plural categories to this test", lang)
			continue
		}
		for id, m := range msgs {
			if len(m) == 1 {
				continue
			}
			if _, ok := m["other"]; !ok {
				t.Errorf("%s: plural %q has no 'other' form", lang, id)
			}
			for form := range m {
				if !slices.Contains(allowed, form) {
					t.Errorf("%s: plural %q has form %q, which %s does not use", lang, id, form, lang)
				}
			}
		}
	}
}

var quoted = regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_%]+)*\.?)"`)

// TestNoUnusedMessages: every message ID is used by a template or Go code, literally or through a
// prefix that code completes with a value (such as "term.state." + state).
func TestNoUnusedMessages(t *testing.T) {
	used, prefixes := map[string]bool{}, []string{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != ".." || d.Name() == "node_modules" || d.Name() == "locales") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, ".html")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range quoted.FindAllStringSubmatch(string(b), -1) {
			s := m[1]
			if i := strings.Index(s, "%"); i >= 0 {
				s = s[:i]
			}
			if strings.HasSuffix(s, ".") {
				prefixes = append(prefixes, s)
			} else {
				used[s] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id := range load(t)["nl"] {
		if used[id] || strings.HasPrefix(id, "meta.") {
			continue
		}
		if slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(id, p) }) {
			continue
		}
		t.Errorf("message %q is not used anywhere", id)
	}
}

// TestBundleLoads: every file loads, names itself and has a direction.
func TestBundleLoads(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	if b.Languages()[0].Code != "nl" {
		t.Errorf("Dutch must come first, got %s", b.Languages()[0].Code)
	}
	for _, l := range b.Languages() {
		if l.Name == "" || strings.HasPrefix(l.Name, "[") {
			t.Errorf("%s: meta.name missing", l.Code)
		}
		if l.Dir != "ltr" && l.Dir != "rtl" {
			t.Errorf("%s: dir %q", l.Code, l.Dir)
		}
	}
}
