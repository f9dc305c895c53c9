package domain

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsStandardLibraryOnly enforces doc.go: the domain imports only the standard library.
func TestImportsStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			sources = append(sources, f)
		}
	}
	if len(sources) == 0 {
		t.Fatal("no non-test source files found")
	}

	// forbidden lists imports that must never appear, whatever the first element looks like.
	forbidden := []struct {
		name  string
		match func(path string) bool
	}{
		{"net/http", func(p string) bool { return p == "net/http" || strings.HasPrefix(p, "net/http/") }},
		{"echo", func(p string) bool { return strings.Contains(p, "labstack/echo") || strings.Contains(p, "/echo") }},
		{"gorm", func(p string) bool { return strings.Contains(p, "gorm") }},
	}

	fset := token.NewFileSet()
	for _, name := range sources {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			for _, imp := range f.Imports {
				path, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					t.Fatalf("unquote %s: %v", imp.Path.Value, err)
				}
				first, _, _ := strings.Cut(path, "/")
				if strings.Contains(first, ".") {
					t.Errorf("%s imports %q, which is not in the standard library", name, path)
				}
				for _, fb := range forbidden {
					if fb.match(path) {
						t.Errorf("%s imports %q: %s is forbidden in the domain", name, path, fb.name)
					}
				}
			}
		})
	}
}

// TestImportRule checks the rule itself on sample paths, so a broken matcher cannot pass silently.
func TestImportRule(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		stdlib bool
	}{
		{"time", "time", true},
		{"go/parser", "go/parser", true},
		{"net/http is stdlib but forbidden separately", "net/http", true},
		{"echo", "github.com/labstack/echo/v4", false},
		{"gorm", "gorm.io/gorm", false},
		{"x/text", "golang.org/x/text", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, _, _ := strings.Cut(tt.path, "/")
			if got := !strings.Contains(first, "."); got != tt.stdlib {
				t.Errorf("stdlib(%q) = %v, want %v", tt.path, got, tt.stdlib)
			}
		})
	}
}
