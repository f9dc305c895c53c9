package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite" // database/sql driver "sqlite", to move the schema back by hand
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

// /readyz answers with Store.Ready: not ready while the schema is behind the binary.
func TestReadyFollowsTheSchema(t *testing.T) {
	ctx := context.Background()
	dbURL := testenv.DatabaseURL(t)
	st, err := store.Open(dbURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	if err := st.Ready(ctx); err == nil {
		t.Fatal("Ready on an unmigrated database: nil, want an error")
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Ready(ctx); err != nil {
		t.Fatalf("Ready after Migrate: %v", err)
	}

	// An older schema (the newest migration not recorded) is behind as well: an instance of a newer
	// binary must not take traffic before it has migrated.
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)`); err != nil {
		t.Fatalf("rewind the schema version: %v", err)
	}
	if err := st.Ready(ctx); err == nil || !strings.Contains(err.Error(), "behind") {
		t.Fatalf("Ready with the newest migration unrecorded: %v, want \"schema is behind\"", err)
	}
}

func TestReadyWhenClosed(t *testing.T) {
	st, err := store.Open(testenv.DatabaseURL(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := st.Ready(context.Background()); err == nil {
		t.Fatal("Ready on a closed store: nil")
	}
}
