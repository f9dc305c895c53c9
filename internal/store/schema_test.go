package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite"  // database/sql driver "sqlite", to read the catalog
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to read the catalog

	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

// column is one column as both dialects can say it.
type column struct {
	Type    string // normalised: integer, text, date, timestamp, boolean, real, bytes
	NotNull bool
}

// table is what the schema comparison looks at: columns, primary key, unique column sets and
// check constraints (normalised text, sorted).
type table struct {
	Columns map[string]column
	Primary string
	Uniques []string
	Checks  []string
}

type schema map[string]*table

// normType maps a declared or catalogued type to its family. A type outside the map fails the
// test: add it here, deliberately.
func normType(t *testing.T, raw string) string {
	t.Helper()
	s := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	switch s {
	case "integer", "int", "bigint", "smallint", "int2", "int4", "int8", "bigserial", "serial":
		return "integer"
	case "text", "character", "char", "character varying", "varchar":
		return "text"
	case "date":
		return "date"
	case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "datetime":
		return "timestamp"
	case "boolean", "bool":
		return "boolean"
	case "real", "double precision", "numeric", "float8":
		return "real"
	case "blob", "bytea":
		return "bytes"
	}
	t.Fatalf("type %q is not in normType: add it to the family it belongs to", raw)
	return ""
}

var (
	reCast    = regexp.MustCompile(`::(character varying|timestamp with time zone|timestamp without time zone|double precision|[a-z_]+)(\[\])?`)
	reAnyOf   = regexp.MustCompile(`= any \(array\[(.*?)\]\)`)
	reAllOf   = regexp.MustCompile(`<> all \(array\[(.*?)\]\)`)
	reBetween = regexp.MustCompile(`([a-z_]+\([a-z_]+\)|[a-z_]+) between (\S+) and (\S+)`)
	reSpace   = regexp.MustCompile(`[\s()]+`)
	// reBoolCheck matches a normalised "col IN (0, 1)".
	reBoolCheck = regexp.MustCompile(`^([a-z_]+)in0,1$`)
)

// normCheck reduces a check expression to a form both dialects reach: PostgreSQL's casts and
// "= ANY (ARRAY[...])", octet_length (its length of a bytea) and SQLite's BETWEEN written out,
// parentheses and spaces dropped.
func normCheck(expr string) string {
	s := strings.ToLower(strings.TrimSpace(expr))
	s = strings.TrimPrefix(s, "check")
	s = reCast.ReplaceAllString(s, "")
	s = reAnyOf.ReplaceAllString(s, "in ($1)")
	s = reAllOf.ReplaceAllString(s, "not in ($1)")
	s = reBetween.ReplaceAllString(s, "$1 >= $2 and $1 <= $3")
	s = strings.ReplaceAll(s, "!=", "<>")
	s = strings.ReplaceAll(s, "octet_length(", "length(")
	return reSpace.ReplaceAllString(s, "")
}

// sqliteChecks finds every CHECK (...) in a CREATE TABLE statement, balancing parentheses and
// skipping string literals.
func sqliteChecks(ddl string) []string {
	var out []string
	low := strings.ToLower(ddl)
	for i := 0; ; {
		j := strings.Index(low[i:], "check")
		if j < 0 {
			return out
		}
		i += j + len("check")
		k := i
		for k < len(ddl) && (ddl[k] == ' ' || ddl[k] == '\n' || ddl[k] == '\t') {
			k++
		}
		if k >= len(ddl) || ddl[k] != '(' {
			continue
		}
		depth, inStr, end := 0, false, -1
		for p := k; p < len(ddl) && end < 0; p++ {
			switch c := ddl[p]; {
			case c == '\'':
				inStr = !inStr
			case inStr:
			case c == '(':
				depth++
			case c == ')':
				depth--
				if depth == 0 {
					end = p
				}
			}
		}
		if end < 0 {
			return out
		}
		out = append(out, ddl[k+1:end])
		i = end
	}
}

func rows(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	r, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	var out [][]string
	for r.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func migrate(t *testing.T, url string) {
	t.Helper()
	st, err := store.Open(url, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func sqliteSchema(t *testing.T) schema {
	path := filepath.Join(t.TempDir(), "schema.db")
	migrate(t, "sqlite:"+path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := schema{}
	for _, tr := range rows(t, db, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`) {
		name, ddl := tr[0], tr[1]
		tb := &table{Columns: map[string]column{}}
		var pk []string
		for _, c := range rows(t, db, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY pk`, name) {
			tb.Columns[c[0]] = column{Type: normType(t, c[1]), NotNull: c[2] == "1" || c[3] != "0"}
			if c[3] != "0" {
				pk = append(pk, c[0])
			}
		}
		slices.Sort(pk)
		tb.Primary = strings.Join(pk, ",")
		for _, ix := range rows(t, db, `SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND origin <> 'pk'`, name) {
			var cols []string
			for _, c := range rows(t, db, `SELECT name FROM pragma_index_info(?)`, ix[0]) {
				cols = append(cols, c[0])
			}
			slices.Sort(cols)
			tb.Uniques = append(tb.Uniques, strings.Join(cols, ","))
		}
		for _, c := range sqliteChecks(ddl) {
			n := normCheck(c)
			// SQLite has no boolean type: "b IN (0, 1)" is what PostgreSQL's BOOLEAN enforces itself.
			if m := reBoolCheck.FindStringSubmatch(n); m != nil && tb.Columns[m[1]].Type == "boolean" {
				continue
			}
			tb.Checks = append(tb.Checks, n)
		}
		out[name] = tb
	}
	return out
}

func postgresSchema(t *testing.T, url string) schema {
	migrate(t, url)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := schema{}
	for _, c := range rows(t, db, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`) {
		tb := out[c[0]]
		if tb == nil {
			tb = &table{Columns: map[string]column{}}
			out[c[0]] = tb
		}
		tb.Columns[c[1]] = column{Type: normType(t, c[2]), NotNull: c[3] == "NO"}
	}
	// Primary keys, unique constraints and unique indexes, with their columns.
	for _, ix := range rows(t, db, `SELECT c.relname, i.indisprimary, string_agg(a.attname, ',' ORDER BY a.attname)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
		WHERE n.nspname = current_schema() AND i.indisunique AND c.relname <> 'goose_db_version'
		GROUP BY c.relname, i.indexrelid, i.indisprimary`) {
		tb := out[ix[0]]
		if tb == nil {
			t.Fatalf("index on unknown table %s", ix[0])
		}
		if ix[1] == "true" {
			tb.Primary = ix[2]
		} else {
			tb.Uniques = append(tb.Uniques, ix[2])
		}
	}
	for _, ck := range rows(t, db, `SELECT c.relname, pg_get_constraintdef(k.oid) FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND k.contype = 'c'`) {
		out[ck[0]].Checks = append(out[ck[0]].Checks, normCheck(ck[1]))
	}
	return out
}

// describe prints a schema in a stable order, one line per fact, for comparison.
func (s schema) describe() []string {
	var out []string
	for name, tb := range s {
		for c, col := range tb.Columns {
			out = append(out, fmt.Sprintf("%s.%s %s notnull=%v", name, c, col.Type, col.NotNull))
		}
		out = append(out, fmt.Sprintf("%s primary key (%s)", name, tb.Primary))
		for _, u := range tb.Uniques {
			out = append(out, fmt.Sprintf("%s unique (%s)", name, u))
		}
		for _, c := range tb.Checks {
			out = append(out, fmt.Sprintf("%s check %s", name, c))
		}
	}
	slices.Sort(out)
	return out
}

// TestMigrationDialectsAgree applies the SQLite migrations to a temporary file and the
// PostgreSQL ones to a fresh schema, and compares tables, columns (type family and
// nullability), primary keys, unique constraints and check constraints.
func TestMigrationDialectsAgree(t *testing.T) {
	lite := sqliteSchema(t)
	if len(lite) == 0 || lite["inburgeraars"] == nil || len(lite["inburgeraars"].Checks) == 0 {
		t.Fatalf("the SQLite catalog reads as empty: %v", lite.describe())
	}
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL is not set: the PostgreSQL half (and the comparison) runs in CI step 4")
	}
	pg := postgresSchema(t, testenv.DatabaseURL(t))
	a, b := lite.describe(), pg.describe()
	for _, l := range a {
		if !slices.Contains(b, l) {
			t.Errorf("only in SQLite:     %s", l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			t.Errorf("only in PostgreSQL: %s", l)
		}
	}
}

// TestNormCheck pins the normalisation on what each catalog really prints.
func TestNormCheck(t *testing.T) {
	tests := []struct{ sqlite, postgres string }{
		{`length(naam) BETWEEN 1 AND 200`, `CHECK (((length(naam) >= 1) AND (length(naam) <= 200)))`},
		{`betaler IN ('gemeente', 'loan', 'self')`, `CHECK ((betaler = ANY (ARRAY['gemeente'::text, 'loan'::text, 'self'::text])))`},
		{`(soort = 'inburgeraar') = (inburgeraar_id IS NOT NULL)`, `CHECK (((soort = 'inburgeraar'::text) = (inburgeraar_id IS NOT NULL)))`},
		{`status NOT IN ('geaccepteerd', 'afgewezen')`, `CHECK ((status <> ALL (ARRAY['geaccepteerd'::text, 'afgewezen'::text])))`},
		{`length(inhoud) BETWEEN 1 AND 262144`, `CHECK (((octet_length(inhoud) >= 1) AND (octet_length(inhoud) <= 262144)))`}, // a bytea
		{`length(bsn) = 9 AND ltrim(bsn, '0123456789') = ''`, `CHECK (((length(bsn) = 9) AND (ltrim(bsn, '0123456789'::text) = ''::text)))`},
	}
	for _, tt := range tests {
		if a, b := normCheck(tt.sqlite), normCheck(tt.postgres); a != b {
			t.Errorf("%q → %q, %q → %q", tt.sqlite, a, tt.postgres, b)
		}
	}
	if a, b := normCheck(`length(bsn) = 9`), normCheck(`CHECK ((bsn ~ '^[0-9]{9}$'::text))`); a == b {
		t.Errorf("the old BSN checks compare equal: %q", a)
	}
	if got := sqliteChecks(`CREATE TABLE x (a TEXT CHECK (a IN ('(', ')')), b INT, CHECK ((b > 0) = (a IS NULL)))`); len(got) != 2 || got[1] != `(b > 0) = (a IS NULL)` {
		t.Errorf("sqliteChecks = %q", got)
	}
}
