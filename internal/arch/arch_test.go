package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/inburgering/portal"

// root is the module's root, two folders up from this package.
var root = filepath.Join("..", "..")

// faces are the packages that talk to people (HTML) and programs (JSON): they call use cases only.
var faces = []string{"api", "portal"}

// storageImports are the packages through which a face would reach storage.
func storageImport(path string) bool {
	return path == module+"/internal/store" || strings.HasPrefix(path, module+"/internal/store/") ||
		path == "database/sql" || strings.HasPrefix(path, "gorm.io/") ||
		strings.HasPrefix(path, "github.com/glebarez/") || strings.HasPrefix(path, "github.com/jackc/")
}

// ports returns the names of the storage ports internal/app declares: its exported interfaces.
func ports(t *testing.T) map[string]bool {
	t.Helper()
	pkgs := parseDir(t, filepath.Join(root, "internal", "app"), false)
	out := map[string]bool{}
	for _, f := range pkgs {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if _, ok := ts.Type.(*ast.InterfaceType); ok && ts.Name.IsExported() {
					out[ts.Name.Name] = true
				}
			}
		}
	}
	return out
}

// parseDir parses the Go files of dir and, when recursive, of its subfolders (testdata and
// test files excluded).
func parseDir(t *testing.T, dir string, recursive bool) map[string]*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string]*ast.File{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && (!recursive || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		out[path] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// faceViolations lists every way the Go files under dir reach past the use cases: importing
// storage, naming a storage port of internal/app, or selecting a field or method called Repo.
func faceViolations(t *testing.T, dir string, portNames map[string]bool) []string {
	t.Helper()
	var out []string
	for path, f := range parseDir(t, dir, true) {
		appName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if storageImport(p) {
				out = append(out, path+": imports "+p)
			}
			if p == module+"/internal/app" {
				appName = "app"
				if imp.Name != nil {
					appName = imp.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && appName != "" && x.Name == appName && portNames[sel.Sel.Name] {
				out = append(out, path+": names the storage port app."+sel.Sel.Name)
			}
			if sel.Sel.Name == "Repo" || sel.Sel.Name == "repo" {
				out = append(out, path+": selects ."+sel.Sel.Name)
			}
			return true
		})
	}
	slices.Sort(out)
	return out
}

// TestFacesCallUseCasesOnly: api/ and portal/ reach data through internal/app's use cases only.
func TestFacesCallUseCasesOnly(t *testing.T) {
	portNames := ports(t)
	for _, want := range []string{"Storage", "People", "Messages", "AuditLog", "Transactor"} {
		if !portNames[want] {
			t.Fatalf("internal/app declares no port %s (found %v): update this test", want, portNames)
		}
	}
	for _, face := range faces {
		for _, v := range faceViolations(t, filepath.Join(root, face), portNames) {
			t.Error(v)
		}
	}
}

// TestTheRuleCatchesAViolation runs the rule on a face that breaks it in every way.
func TestTheRuleCatchesAViolation(t *testing.T) {
	got := faceViolations(t, filepath.Join("testdata", "badface"), ports(t))
	want := []string{
		"imports " + module + "/internal/store",
		"imports gorm.io/gorm",
		"names the storage port app.People",
		"names the storage port app.Storage",
		"selects .Repo",
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasSuffix(g, w) }) {
			t.Errorf("the rule misses %q; found %v", w, got)
		}
	}
}

// TestNoFaceDependsOnStorage: not even indirectly (through another package) does a face's
// build include the storage packages. go list sees what the parser cannot: transitive imports.
func TestNoFaceDependsOnStorage(t *testing.T) {
	if testing.Short() {
		t.Skip("go list in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	for _, face := range faces {
		cmd := exec.Command(goBin, "list", "-deps", "-f", "{{.ImportPath}}", "./"+face)
		cmd.Dir = root
		outb, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", face, err)
		}
		for _, dep := range strings.Fields(string(outb)) {
			if storageImport(dep) && dep != "database/sql" {
				t.Errorf("%s depends on %s", face, dep)
			}
		}
	}
}

// TestUseCasesKnowNoStorageOrWeb: internal/app declares ports and never imports their
// implementation, nor the web.
func TestUseCasesKnowNoStorageOrWeb(t *testing.T) {
	for path, f := range parseDir(t, filepath.Join(root, "internal", "app"), false) {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if storageImport(p) || strings.Contains(p, "labstack/echo") || p == "net/http" || p == module+"/api" || p == module+"/portal" {
				t.Errorf("%s imports %s", path, p)
			}
		}
	}
}
