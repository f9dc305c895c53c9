package store_test

import (
	"context"
	"testing"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

// InReadTx reads (on SQLite on a reader connection) and refuses to write; inside a transaction
// that is already open it runs there, and that one may write.
func TestInReadTx(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(testenv.DatabaseURL(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = st.InReadTx(ctx, func(ctx context.Context) error {
		n, err := st.UnreadCount(ctx, 1)
		if err != nil {
			return err
		}
		if n != 0 {
			t.Errorf("unread %d", n)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := st.InReadTx(ctx, func(ctx context.Context) error {
		return st.SetPreferredLanguage(ctx, 1, "en")
	}); err == nil || domain.ErrorKind(err) == domain.KindNotFound {
		t.Errorf("a write in a read-only transaction: %v, want the database's refusal", err)
	}
	// No such person: the write reached the database and found no row.
	if err := st.InTx(ctx, func(ctx context.Context) error {
		return st.InReadTx(ctx, func(ctx context.Context) error { return st.SetPreferredLanguage(ctx, 1, "en") })
	}); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("a read transaction inside a write transaction: %v", err)
	}
}
