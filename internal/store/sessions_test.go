package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/auth"
)

// A session keeps its sealed logout hint as given; nothing else of the login is stored.
func TestSessionKeepsLogoutHint(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, s := range []auth.Session{
		{Kind: auth.KindStaff, Staff: "Fatima de Vries", Role: auth.RoleStaff, LogoutHint: "sealed-hint", CreatedAt: now, LastSeenAt: now},
		{Kind: auth.KindStaff, Staff: "Demo", Role: auth.RoleStaff, CreatedAt: now, LastSeenAt: now},
	} {
		h := auth.Hash(auth.NewID())
		if err := st.CreateSession(ctx, h, s); err != nil {
			t.Fatal(err)
		}
		got, err := st.Session(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		if got != s {
			t.Errorf("stored %+v, read back %+v", s, got)
		}
	}
}
