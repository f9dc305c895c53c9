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

// importViolation is the rule of doc.go: why the domain may not import path, or "" when it may.
// Only the standard library is allowed (its paths have no dot in the first element), and of it
// not the web: net/http belongs to the faces.
func importViolation(path string) string {
	first, _, _ := strings.Cut(path, "/")
	switch {
	case strings.Contains(first, "."):
		return "not in the standard library"
	case path == "net/http" || strings.HasPrefix(path, "net/http/"):
		return "the web belongs to the faces"
	}
	return ""
}

// TestImportsStandardLibraryOnly enforces doc.go on every source file of the domain.
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
				if why := importViolation(path); why != "" {
					t.Errorf("%s imports %q: %s", name, path, why)
				}
			}
		})
	}
}

// TestImportRule checks importViolation, the rule TestImportsStandardLibraryOnly applies, on
// sample paths: a broken rule cannot pass silently.
func TestImportRule(t *testing.T) {
	tests := []struct {
		path    string
		allowed bool
	}{
		{"time", true},
		{"go/parser", true},
		{"crypto/sha256", true},
		{"net/url", true},
		{"net/http", false},
		{"net/http/httptest", false},
		{"github.com/labstack/echo/v4", false},
		{"gorm.io/gorm", false},
		{"golang.org/x/text", false},
		{"github.com/inburgering/portal/internal/app", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := importViolation(tt.path) == ""; got != tt.allowed {
				t.Errorf("allowed(%q) = %v, want %v", tt.path, got, tt.allowed)
			}
		})
	}
}
